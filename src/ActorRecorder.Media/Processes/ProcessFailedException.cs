namespace ActorRecorder.Media.Processes;

/// <summary>A child process could not start, or ended in a way its caller treats as failure.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException(string reason, string commandLine, int? exitCode, IReadOnlyList<string> stderrTail, Exception? inner = null)
        : base(Format(reason, commandLine, exitCode, stderrTail), inner)
    {
        Reason = reason;
        CommandLine = commandLine;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public string Reason { get; }

    public string CommandLine { get; }

    /// <summary>Null when the process never started or timed out.</summary>
    public int? ExitCode { get; }

    public IReadOnlyList<string> StderrTail { get; }

    private static string Format(string reason, string commandLine, int? exitCode, IReadOnlyList<string> tail)
    {
        var code = exitCode is null ? "" : $" (exit code {exitCode})";
        var stderr = tail.Count == 0 ? "" : "\nstderr (last lines):\n  " + string.Join("\n  ", tail);
        return $"{reason}{code}\ncommand: {commandLine}{stderr}";
    }
}
