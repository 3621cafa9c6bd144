using System.Collections.Immutable;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// The channel's settings (from the configuration, at start and on every reload). An entity started anywhere
/// in the cluster gets its settings this way, never through its constructor.
/// </summary>
public sealed record ConfigureChannel(ChannelSettings Settings) : IChannelInput, IRecorderMessage;

/// <summary>The directory's answer for a channel that is not in the configuration (removed while the node was down).</summary>
public sealed record ChannelNotConfigured : IChannelInput, IRecorderMessage;

/// <summary>A channel asks the directory for its settings after it started (answered with <see cref="ConfigureChannel"/> or <see cref="ChannelNotConfigured"/>).</summary>
public sealed record GetChannelSettings(string ChannelId) : IRecorderMessage;

/// <summary>
/// What one cluster node states about the channel list (at its start and whenever its configuration file or its runtime
/// changes are edited): the channels of its file with those added at runtime, and the ids removed at runtime on it.
/// <paramref name="Origin"/> names the node across restarts (its public host:port).
/// </summary>
public sealed record StateChannels(string Origin, IReadOnlyList<ChannelSettings> Channels, IReadOnlyList<string> Removed) : IRecorderMessage;

/// <summary>
/// The cluster's channel list after <paramref name="Version"/> edits (the list entity's sequence number in the journal:
/// a count, not a clock; 0: no node has stated anything yet).
/// </summary>
public sealed record ChannelList(long Version, IReadOnlyList<ChannelSettings> Channels) : IRecorderMessage;

/// <summary>Asks the list entity for the <see cref="ChannelList"/>.</summary>
public sealed record GetChannelList : IRecorderMessage
{
    public static GetChannelList Instance { get; } = new();
}

/// <summary>The answer to <see cref="StateChannels"/>: what the statement changed in the cluster's list, and the list after it.</summary>
public sealed record ChannelsStated(IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed, ChannelList List) : IRecorderMessage;

/// <summary>
/// The list entity's event: <paramref name="Origin"/>'s new statement (a digest per channel it states, the ids it removed at
/// runtime) and what it changed in the list: channels put (added or changed) and ids dropped.
/// </summary>
public sealed record ChannelListEdited(string Origin, IReadOnlyDictionary<string, string> Digests, IReadOnlyList<string> Removed,
    IReadOnlyList<ChannelSettings> Put, IReadOnlyList<string> Dropped) : IRecorderMessage;

/// <summary>
/// The list entity's marker, journaled before it compacts its history: the journal keeps its newest row when it deletes
/// the rows before a snapshot, and this one holds no settings. Changes nothing.
/// </summary>
public sealed record ChannelListCompacted : IRecorderMessage;

/// <summary>One node's last statement, as the list entity remembers it.</summary>
public sealed record OriginStatement(string Origin, IReadOnlyDictionary<string, string> Digests, IReadOnlyList<string> Removed);

/// <summary>The list entity's snapshot: the list and every node's last statement.</summary>
public sealed record ChannelListSnapshot(IReadOnlyList<ChannelSettings> Channels, IReadOnlyList<OriginStatement> Statements) : IRecorderMessage;

/// <summary>Stops recording and keeps the channel from starting until <see cref="ResumeChannel"/>.</summary>
public sealed record PauseChannel : IChannelInput, IRecorderMessage;

public sealed record ResumeChannel : IChannelInput, IRecorderMessage;

/// <summary>Records now if the channel is live: resumes a paused channel and asks the platform at once.</summary>
public sealed record StartRecordingCommand : IChannelInput, IRecorderMessage;

/// <summary>Ends the open session now (ffmpeg finishes its file; the session goes to delivery) and pauses the channel.</summary>
public sealed record StopRecordingCommand : IChannelInput, IRecorderMessage;

/// <summary>Ends the open session now (it goes to delivery) and, while the broadcast goes on, records it in a new session.</summary>
public sealed record SplitSessionCommand : IChannelInput, IRecorderMessage;

/// <summary>Node shutdown or shard hand-off: ffmpeg finishes its file, events are persisted, then the channel stops (the session stays open).</summary>
public sealed record ShutdownChannel : IChannelInput, IRecorderMessage;

/// <summary>The channel was removed from the configuration: it finishes its session and deliveries, then stops for good.</summary>
public sealed record RetireChannel : IChannelInput, IRecorderMessage;

/// <summary>Tries every failed session of the channel again (a configuration change that touches delivery does it too).</summary>
public sealed record RetryFailedSessions : IChannelInput, IRecorderMessage;

/// <summary>Asks a channel for its <see cref="ChannelStatus"/>.</summary>
public sealed record GetChannelStatus : IRecorderMessage;

/// <summary>A snapshot of a channel for the CLI and the management API.</summary>
/// <param name="SessionDirectory">Where the open session's files are written (null with no session).</param>
/// <param name="SessionStartedAt">When the open session started.</param>
/// <param name="Paused">Paused by a command: it records nothing until it is resumed or started.</param>
/// <param name="Node">The address of the node the channel runs on.</param>
/// <param name="Problem">What keeps the channel from working, if anything: an unreadable journal, a monitor that keeps failing.</param>
/// <param name="SequenceNr">The sequence number of the channel's last event (the events view reads back from it).</param>
/// <param name="Skipped">Why the broadcast live now is not recorded (outside the windows, a filtered title); or, with no
/// broadcast live and no window open, when the next window opens.</param>
public sealed record ChannelStatus(
    string ChannelId, ChannelMode Mode, Lifecycle Lifecycle, string? SessionId, string? Title, int Segments, long BytesRecorded,
    long BytesInProgress, int Attempt, int? FfmpegPid, bool DiskLow, bool Retiring, ImmutableList<string> ProcessingSessionIds,
    string? SessionDirectory = null, DateTimeOffset? SessionStartedAt = null, bool Paused = false, string? Node = null, string? Problem = null,
    long SequenceNr = 0, string? Quality = null, string? Skipped = null) : IRecorderMessage
{
    /// <summary>ffmpeg is running for the open session.</summary>
    public bool IsRecording => FfmpegPid is not null || (Mode == ChannelMode.Recording && Lifecycle is Lifecycle.Active or Lifecycle.Adopting);
}

/// <summary>Asks a channel for its sessions (<see cref="ChannelRecordings"/>): the read model of the recordings view.</summary>
public sealed record GetChannelRecordings : IRecorderMessage;

/// <summary>
/// A channel's sessions as its state holds them: the open one, the ended ones not yet delivered, and the last completed
/// ones (<see cref="PersistedState.HistoryLength"/>), so the recordings view never folds a journal.
/// </summary>
public sealed record ChannelRecordings(string ChannelId, Session? Current, ImmutableList<Session> Processing, ImmutableList<SessionSummary> History) : IRecorderMessage
{
    /// <summary>The sessions retention never deletes.</summary>
    public ImmutableList<string> Pinned { get; init; } = [];
}

/// <summary>
/// Asks a node which of its shards hold a channel with a broadcast in progress (an open session, or ffmpeg running);
/// answered with <see cref="BusyShards"/>. The shard coordinator asks before it moves shards to balance the nodes.
/// </summary>
public sealed record GetBusyShards : IRecorderMessage;

/// <summary>The shards of a node that must not be moved to balance the cluster, in ordinal order.</summary>
public sealed record BusyShards(IReadOnlyList<string> ShardIds) : IRecorderMessage;

/// <summary>
/// Asks a node whether it reaches the cluster's database (its lease statements succeed, or a trivial query answers);
/// answered with <see cref="DatabaseContact"/>. A node that cannot reach it asks before it gives its channels up.
/// </summary>
public sealed record GetDatabaseContact : IRecorderMessage;

/// <summary>Whether the node that answers reaches the cluster's database.</summary>
public sealed record DatabaseContact(bool Reaches) : IRecorderMessage;

/// <summary>Published on the EventStream after each of a channel's events is persisted.</summary>
public sealed record ChannelEventPersisted(string ChannelId, IChannelEvent Event);

/// <summary>Published on the EventStream when an ended session goes to delivery (also again after a restart).</summary>
public sealed record SessionHandedOver(string ChannelId, Session Session);
