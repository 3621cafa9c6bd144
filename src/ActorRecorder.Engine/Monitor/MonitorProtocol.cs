using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Engine.Monitor;

/// <summary>The channel is live at <paramref name="SourceUrl"/> (one of its <c>urls</c>): record <paramref name="StreamUrl"/> with <paramref name="Headers"/>.</summary>
public sealed record WentLive(string StreamUrl, ImmutableDictionary<string, string> Headers, string? Title, string SourceUrl) : IChannelInput
{
    /// <summary>The rendition the resolver chose for the channel's quality list, as people name it; null when it could not tell.</summary>
    public string? Quality { get; init; }
}

/// <summary>Not live, but a broadcast is announced (starting at <paramref name="StartsAt"/>, when the platform says).</summary>
public sealed record BroadcastScheduled(string? Title, DateTimeOffset? StartsAt) : IChannelInput;

public sealed record WentOffline(string Reason) : IChannelInput;

/// <summary>The broadcast's title changed while it is live.</summary>
public sealed record TitleSeen(string Title) : IChannelInput;

/// <summary>Check at once and report the status even when it did not change.</summary>
public sealed record CheckNow
{
    public static CheckNow Instance { get; } = new();
}

/// <summary>
/// The channel is recording (or not). While ffmpeg records, its progress already proves the channel live,
/// so the monitor checks ten times less often (title changes are still noticed).
/// </summary>
public sealed record RecordingActive(bool Active);
