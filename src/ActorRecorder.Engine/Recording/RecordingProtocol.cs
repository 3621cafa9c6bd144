using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Engine.Recording;

/// <summary>
/// Asks the ffmpeg process to finish its file ('q', then SIGINT, then kill). Without <paramref name="AdoptLeftovers"/> a
/// partial segment is not probed now (the next start adopts it): a node shutdown must fit its budget.
/// </summary>
public sealed record StopRecording(string Reason, bool AdoptLeftovers = true);

/// <summary>The attempt's ffmpeg process is running.</summary>
public sealed record RecordingStarted(int Attempt, int Pid) : IChannelInput;

/// <summary>A segment ffmpeg finished (or that was adopted after the process ended).</summary>
public sealed record SegmentFinished(int Attempt, string Path, TimeSpan Duration, long Bytes, bool Adopted) : IChannelInput;

/// <summary>A partial segment that was not playable (set aside with the reason).</summary>
public sealed record SegmentSetAside(int Attempt, string Path, string Reason) : IChannelInput;

/// <summary>Live progress of the running attempt (not persisted).</summary>
public sealed record RecordingProgress(int Attempt, TimeSpan OutTime, long Bytes, double? Speed) : IChannelInput;

public enum RecordingOutcome
{
    /// <summary>ffmpeg exited with 0 by itself: the stream finished.</summary>
    Ended,
    /// <summary>We asked it to stop.</summary>
    Stopped,
    /// <summary>It exited with an error or was killed by someone else.</summary>
    Failed,
    /// <summary>Nothing arrived for the stall timeout: killed by the watchdog.</summary>
    Stalled,
}

/// <summary>
/// The attempt is over; every segment it produced was reported before this. <paramref name="ProbeTooNarrow"/>: ffmpeg could
/// not start because its probe of the input missed a stream's parameters (the next attempt probes widely).
/// </summary>
public sealed record RecordingStopped(int Attempt, RecordingOutcome Outcome, string Reason, int? ExitCode, bool ProbeTooNarrow = false) : IChannelInput;
