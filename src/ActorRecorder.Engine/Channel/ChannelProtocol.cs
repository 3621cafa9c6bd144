using System.Collections.Immutable;

namespace ActorRecorder.Engine.Channel;

/// <summary>Asks a channel for its <see cref="ChannelStatus"/>.</summary>
public sealed class GetChannelStatus
{
    public static GetChannelStatus Instance { get; } = new();
}

/// <summary>A snapshot of a channel for the CLI and the live view.</summary>
public sealed record ChannelStatus(
    string ChannelId, ChannelMode Mode, string? SessionId, string? Title, int Segments, long BytesRecorded,
    long BytesInProgress, int Attempt, int? FfmpegPid, bool DiskLow, int SessionsInProcessing, IReadOnlyList<string> ProcessingSessionIds);

/// <summary>Stops recording and keeps the channel from starting until <see cref="ResumeChannel"/>.</summary>
public sealed class PauseChannel
{
    public static PauseChannel Instance { get; } = new();
}

public sealed class ResumeChannel
{
    public static ResumeChannel Instance { get; } = new();
}

/// <summary>Node shutdown: ffmpeg finishes its file, events are persisted, then the channel stops (the session stays open).</summary>
public sealed class ShutdownChannel
{
    public static ShutdownChannel Instance { get; } = new();
}

/// <summary>The channel was removed from the configuration: it finishes its session, then stops.</summary>
public sealed class RetireChannel
{
    public static RetireChannel Instance { get; } = new();
}

/// <summary>New settings from a configuration reload; they apply from the next check and attempt on.</summary>
public sealed record UpdateChannelSettings(Settings.ChannelSettings Settings);

/// <summary>Published on the EventStream after each of a channel's events is persisted.</summary>
public sealed record ChannelEventPersisted(string ChannelId, IChannelEvent Event);

/// <summary>Published on the EventStream when an ended session is handed over to processing (also again after a restart).</summary>
public sealed record SessionHandedOver(string ChannelId, string SessionId, string Directory, ImmutableArray<SegmentInfo> Segments);

/// <summary>Tries every failed session of the channel again (a configuration change that touches delivery does it too).</summary>
public sealed class RetryFailedSessions
{
    public static RetryFailedSessions Instance { get; } = new();
}
