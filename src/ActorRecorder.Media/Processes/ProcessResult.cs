namespace ActorRecorder.Media.Processes;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">The exit code; by convention 128 + signal number when a signal ended it.</param>
/// <param name="StopReason">Whether we asked it to stop, and how far we had to go.</param>
/// <param name="StderrTail">The last lines it wrote to standard error.</param>
/// <param name="RunTime">From start to exit.</param>
public sealed record ProcessResult(int ExitCode, StopReason StopReason, IReadOnlyList<string> StderrTail, TimeSpan RunTime)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Why a process ended, from the runner's point of view.</summary>
public enum StopReason
{
    /// <summary>It exited by itself.</summary>
    Exited,
    /// <summary>It ended after 'q' on standard input (ffmpeg's own clean stop).</summary>
    Quit,
    /// <summary>It ended after SIGINT.</summary>
    Interrupted,
    /// <summary>It was killed (SIGKILL).</summary>
    Killed,
}
