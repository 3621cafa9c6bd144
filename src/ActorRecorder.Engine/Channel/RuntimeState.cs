using System.Collections.Immutable;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Channel;

/// <summary>Where an incarnation of a channel is in its own life (not persisted: every incarnation starts at <see cref="AwaitingSettings"/>).</summary>
public enum Lifecycle
{
    /// <summary>Replayed, waiting for its settings (they come by message, wherever the channel starts).</summary>
    AwaitingSettings,

    /// <summary>A session was open when the last incarnation ended: its unlisted segments are being adopted.</summary>
    Adopting,

    Active,

    /// <summary>The node is stopping: ffmpeg finishes its file, then the channel stops (the session stays open).</summary>
    ShuttingDown,

    /// <summary>It asked to be stopped; nothing more happens.</summary>
    Stopped,

    /// <summary>Its journal holds an event (or snapshot) it cannot read: it records and delivers nothing until it can (see its problem).</summary>
    Unreadable,
}

/// <summary>An adoption still probing while the channel records again: its token and the session its segments belong to.</summary>
public sealed record PendingAdoption(int Token, string SessionId);

/// <summary>The running ffmpeg attempt, as far as the channel knows.</summary>
/// <param name="StopReason">Set once the channel asked it to stop (why), so its end is not taken for a failure.</param>
/// <param name="LastMediaAt">When ffmpeg's media time last moved forward (null before the first progress).</param>
public sealed record Recorder(int Attempt, DateTimeOffset StartedAt)
{
    public int? Pid { get; init; }
    public string? StopReason { get; init; }
    public TimeSpan LastOutTime { get; init; } = TimeSpan.MinValue;
    public DateTimeOffset? LastMediaAt { get; init; }
    public long Bytes { get; init; }
}

/// <summary>What the monitor last said about the stream.</summary>
public sealed record LiveInfo(string StreamUrl, ImmutableDictionary<string, string> Headers, string? Title)
{
    /// <summary>Which of the channel's URLs is live (the page, not the stream).</summary>
    public string? SourceUrl { get; init; }

    /// <summary>The rendition the resolver chose for the channel's quality list; null when it could not tell.</summary>
    public string? Quality { get; init; }
}

/// <summary>
/// What one incarnation of a channel knows beyond its journal: settings, the running ffmpeg, the monitor's
/// last answer, the delivery request in flight, retry counters. Lost on restart by design; the journal
/// holds everything that must survive.
/// </summary>
public sealed record RuntimeState
{
    public ChannelSettings? Settings { get; init; }

    public Lifecycle Lifecycle { get; init; } = Lifecycle.AwaitingSettings;

    /// <summary>Removed from the configuration: finish the session and the deliveries that can finish, then stop.</summary>
    public bool Retiring { get; init; }

    /// <summary>Identifies the adoption in progress (a late answer to an earlier one is dropped).</summary>
    public int AdoptionToken { get; init; }

    /// <summary>While adopting: no recorder of an earlier incarnation is left (<see cref="OrphansReaped"/>), so a new attempt may start.</summary>
    public bool OrphansReaped { get; init; }

    /// <summary>
    /// The channel went on recording before its adoption finished (a broadcast still live when the channel started again,
    /// after a failover): the segments being probed belong to this session, which is not delivered until they are listed.
    /// </summary>
    public PendingAdoption? PendingAdoption { get; init; }

    public Recorder? Recorder { get; init; }

    public LiveInfo? Live { get; init; }

    /// <summary>The monitor's last answer was "live".</summary>
    public bool LiveNow { get; init; }

    /// <summary>
    /// The free space under output-dir has been measured in this incarnation: until it has, no recording starts when
    /// min-free-disk is set (the stream may answer before the disk does, and a full disk must not see a recording start).
    /// </summary>
    public bool DiskKnown { get; init; }

    /// <summary>How often the monitor failed since it last reported (its restart backs off with it).</summary>
    public int MonitorFailures { get; init; }

    /// <summary>What keeps the channel from working right now, for its status (a monitor that keeps failing); null when nothing.</summary>
    public string? Problem { get; init; }

    /// <summary>The monitor's last answer was an announcement (a broadcast not started yet): it is posted once no session is open.</summary>
    public Monitor.BroadcastScheduled? Announced { get; init; }

    public int FailuresInRow { get; init; }

    /// <summary>An attempt failed because a narrow probe missed a stream of this input: ffmpeg probes it widely from now on.</summary>
    public bool WideProbe { get; init; }

    /// <summary>A stop or split asked the open session to end as soon as ffmpeg has finished its file (why).</summary>
    public string? EndOnDrop { get; init; }

    /// <summary>An attempt failed and the next one waits for its back-off timer.</summary>
    public bool RetryPending { get; init; }

    /// <summary>Why the broadcast live now is not recorded (journaled once as <see cref="BroadcastSkipped"/>); null when none is skipped.</summary>
    public string? Skipped { get; init; }

    /// <summary>The session whose files retention is deleting now, and why (one at a time).</summary>
    public (string SessionId, string Reason)? Purging { get; init; }

    /// <summary>A start command asked for the broadcast live now to be recorded, whatever the windows and title filters say.</summary>
    public bool StartRequested { get; init; }

    /// <summary>No recording window is open and no session either: the monitor is stopped until the next window opens.</summary>
    public bool Sleeping { get; init; }

    /// <summary>Delivery's slice: the workers' incarnation, the request in flight, its retries, the clean-ups running.</summary>
    public Delivery.DeliveryRuntime Delivery { get; init; } = new();
}

/// <summary>Everything the channel decider decides on: the journal's state and this incarnation's runtime state.</summary>
public sealed record ChannelState(string ChannelId, PersistedState Persisted, RuntimeState Runtime)
{
    public static ChannelState Initial(string channelId) => new(channelId, new PersistedState(), new RuntimeState());

    /// <summary>The channel's mode as shown to people and used to pick the actor's behaviour.</summary>
    public ChannelMode Mode => Persisted.Mode;

    public ChannelSettings? Settings => Runtime.Settings;
}
