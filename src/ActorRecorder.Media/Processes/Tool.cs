using System.Text;
using ActorRecorder.Media.Processes.Internal;
using CliWrap;

namespace ActorRecorder.Media.Processes;

/// <summary>Runs a tool to completion (ffprobe, yt-dlp, streamlink, a one-off ffmpeg) through CliWrap and returns its standard output.</summary>
public static class Tool
{
    private const int StderrTailLines = 40;

    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> (a list, never a shell) and standard
    /// input closed, and returns everything it wrote to standard output.
    /// </summary>
    /// <exception cref="ProcessFailedException">
    /// It could not start (<c>ExitCode</c> null); it ran longer than <paramref name="timeout"/> (<c>ExitCode</c> null,
    /// the process tree is killed, the reason says "timed out after N s"); or it exited with a non-zero code
    /// (<c>ExitCode</c> set). The message always has the command line and the stderr tail.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree is killed.</exception>
    public static async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var commandLine = CommandLine.Format(executable, arguments);
        var stdout = new StringBuilder();
        var stderr = new LineTail(StderrTailLines);
        var command = Commands.Create(executable, arguments, stderr)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout, Encoding.UTF8));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        CommandResult result;
        try
        {
            // CliWrap kills the process tree when the token fires and throws once the process is gone.
            result = await Commands.Start(command, commandLine, deadline.Token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProcessFailedException($"timed out after {timeout.TotalSeconds:0.#} s", commandLine, null, stderr.Snapshot(), ex);
        }
        if (result.ExitCode != 0)
        {
            throw new ProcessFailedException($"'{executable}' failed", commandLine, result.ExitCode, stderr.Snapshot());
        }
        return stdout.ToString();
    }
}
