namespace ActorRecorder.Media.Processes;

/// <summary>How a <see cref="ChildProcess"/> ended.</summary>
/// <param name="ExitCode">
/// The exit code; null when our SIGINT or kill ended it (<see cref="StopReason.Interrupted"/>, <see cref="StopReason.Killed"/>):
/// CliWrap reports a cancelled execution as cancelled, without the code. A quit ('q') ends with the process's own code.
/// </param>
/// <param name="StopReason">Whether we asked it to stop, and how far we had to go.</param>
/// <param name="StderrTail">The last lines it wrote to standard error.</param>
/// <param name="RunTime">From start until it had exited and its output was read.</param>
public sealed record ProcessResult(int? ExitCode, StopReason StopReason, IReadOnlyList<string> StderrTail, TimeSpan RunTime)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// Set when the run failed on our side rather than the child's: a line callback threw (that stream was no
    /// longer read), or the process could not be killed. <see cref="ExitCode"/> is null then.
    /// </summary>
    public Exception? Fault { get; init; }
}

/// <summary>Why a process ended, from the caller's point of view.</summary>
public enum StopReason
{
    /// <summary>It exited by itself.</summary>
    Exited,
    /// <summary>It ended after 'q' on standard input (ffmpeg's own clean stop).</summary>
    Quit,
    /// <summary>It ended after SIGINT (CliWrap's graceful cancellation).</summary>
    Interrupted,
    /// <summary>It was killed with its process tree (CliWrap's forceful cancellation).</summary>
    Killed,
}
