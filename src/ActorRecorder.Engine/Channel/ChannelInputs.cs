using System.Collections.Immutable;
using ActorRecorder.Engine.Recording;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// Anything the channel decider decides on: commands (from the directory, the CLI), observations (from the
/// monitor, ffmpeg, the delivery workers, the disk) and the channel's own timers.
/// </summary>
public interface IChannelInput;

/// <summary>The channel's segments left by an earlier incarnation, probed: kept ones and set-aside ones (<paramref name="Failure"/>: why adopting stopped early).</summary>
public sealed record AdoptionFinished(int Token, ImmutableList<SegmentFinished> Kept, ImmutableList<SegmentSetAside> SetAside, string? Failure = null) : IChannelInput;

/// <summary>
/// The adoption's first step is done: no recorder of an earlier incarnation writes into the session any more, so a new
/// attempt may start while the unlisted segments are still being probed.
/// </summary>
public sealed record OrphansReaped(int Token) : IChannelInput;

/// <summary>The adoption did not answer in time: the channel goes on without it (the files stay on disk).</summary>
public sealed record AdoptionTimedOut(int Token) : IChannelInput;

/// <summary>Free space on the disk holding the recordings, just measured.</summary>
public sealed record DiskMeasured(long FreeBytes) : IChannelInput;

public sealed record GraceExpired(string SessionId) : IChannelInput;

/// <summary>The WAITING message <paramref name="MessageId"/> reached its <c>waiting-timeout</c>.</summary>
public sealed record WaitingExpiryDue(string MessageId) : IChannelInput;

public sealed record RetryAttempt(string SessionId) : IChannelInput;

/// <summary>ffmpeg did not finish within the shutdown budget: the channel stops anyway (its actor's stop kills ffmpeg).</summary>
public sealed record ShutdownTimedOut : IChannelInput;

/// <summary>The ffmpeg actor of <paramref name="Attempt"/> stopped (it may not have reported how its process ended).</summary>
public sealed record RecorderTerminated(int Attempt) : IChannelInput;

/// <summary>The delivery request <paramref name="RequestId"/> was not answered within its time.</summary>
public sealed record WorkTimedOut(long RequestId) : IChannelInput;

/// <summary>A delivery worker of incarnation <paramref name="Worker"/> stopped.</summary>
public sealed record WorkerTerminated(int Worker) : IChannelInput;

public sealed record DeliveryRetryDue : IChannelInput;

public sealed record CleanupDone(string SessionId, long Bytes) : IChannelInput;

public sealed record CleanupFailed(string SessionId, string Reason) : IChannelInput;

public sealed record CleanupRetryDue(string SessionId) : IChannelInput;

/// <summary>The monitor actor failed and was stopped (<paramref name="Reason"/>: its exception's message).</summary>
public sealed record MonitorStopped(string Reason) : IChannelInput;

/// <summary>The monitor's restart back-off ran out: a new monitor starts.</summary>
public sealed record MonitorRestartDue : IChannelInput;

/// <summary>A hook's process ended: its exit code (null: it timed out or could not start) and what happened.</summary>
public sealed record HookExited(string HookId, int? ExitCode, string Outcome) : IChannelInput;

/// <summary>Pins a session (retention never deletes it) or unpins it; a session the channel does not know is ignored.</summary>
public sealed record PinSession(string SessionId, bool Pin) : IChannelInput, Serialization.IRecorderMessage;

/// <summary>A recording window opens or closes now (the channel's <c>schedule</c>).</summary>
public sealed record WindowEdge : IChannelInput;
