using System.Collections.Immutable;

namespace ActorRecorder.Engine.Monitor;

/// <summary>The channel is live: record <paramref name="StreamUrl"/> with <paramref name="Headers"/>.</summary>
public sealed record WentLive(string StreamUrl, ImmutableDictionary<string, string> Headers, string? Title);

public sealed record WentOffline(string Reason);

public sealed record TitleChanged(string Title);

/// <summary>Check at once and report the status even when it did not change.</summary>
public sealed class CheckNow
{
    public static CheckNow Instance { get; } = new();
}

/// <summary>
/// The channel is recording (or not). While ffmpeg records, its progress already proves the channel live,
/// so the monitor checks ten times less often (title changes are still noticed).
/// </summary>
public sealed record RecordingActive(bool Active);
