using System.Text;
using ActorRecorder.Media.Processes.Internal;
using CliWrap;

namespace ActorRecorder.Media.Processes;

/// <summary>Runs a tool to completion (ffprobe, yt-dlp, streamlink, a one-off ffmpeg) through CliWrap and returns its standard output.</summary>
public static class Tool
{
    private const int StderrTailLines = 40;

    /// <summary>
    /// The niceness of <see cref="RunInBackgroundAsync"/>'s children: the scheduler gives a runnable nice-10 process about a
    /// tenth of the CPU a nice-0 one gets, so an encode beside the node, its recordings and its heartbeats uses what they leave.
    /// </summary>
    public const int BackgroundNiceness = 10;

    /// <summary>
    /// How many threads a CPU-heavy background child may use: half the cores (at least one), so the node's own threads
    /// and its recordings always find a free core even if the scheduler lets the child run.
    /// </summary>
    public static int BackgroundThreads { get; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// <see cref="RunAsync"/> for CPU-heavy work that may take its time (a two-pass encode, a cut): the child runs under
    /// <c>nice -n 10</c>, so it and every thread it starts yield to the node and its recordings (niceness is set before
    /// the child runs, not after, when its threads would already exist). Same errors as <see cref="RunAsync"/>; an
    /// executable that cannot be found fails with exit code 127 and nice's message in the stderr tail.
    /// </summary>
    public static Task<string> RunInBackgroundAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        RunAsync("nice", ["-n", BackgroundNiceness.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", executable, .. arguments],
            timeout, cancellationToken);

    /// <summary>
    /// Runs <paramref name="executable"/> (a list of arguments, never a shell) to its end and returns its exit code, whatever
    /// it is; each line it writes (standard output and error) goes to <paramref name="onLine"/>. For a user's command (a
    /// hook), whose failure is an answer, not an error.
    /// </summary>
    /// <exception cref="ProcessFailedException">It could not start, or ran longer than <paramref name="timeout"/> (its process tree is killed).</exception>
    public static async Task<int> RunToExitAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment, Action<string> onLine, CancellationToken cancellationToken = default)
    {
        var commandLine = CommandLine.Format(executable, arguments);
        var stderr = new LineTail(StderrTailLines);
        var command = Commands.Create(executable, arguments, stderr, onLine, environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(onLine, Encoding.UTF8));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return (await Commands.Start(command, commandLine, deadline.Token, CancellationToken.None).ConfigureAwait(false)).ExitCode;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProcessFailedException($"timed out after {timeout.TotalSeconds:0.#} s", commandLine, null, stderr.Snapshot(), ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> (a list, never a shell) and standard
    /// input closed, and returns everything it wrote to standard output. <paramref name="environment"/> changes the
    /// node's environment for it (a proxy, say: never on the command line, which every user of the machine can read).
    /// </summary>
    /// <exception cref="ProcessFailedException">
    /// It could not start (<c>ExitCode</c> null); it ran longer than <paramref name="timeout"/> (<c>ExitCode</c> null,
    /// the process tree is killed, the reason says "timed out after N s"); or it exited with a non-zero code
    /// (<c>ExitCode</c> set). The message always has the command line and the stderr tail.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree is killed.</exception>
    public static async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var commandLine = CommandLine.Format(executable, arguments);
        var stdout = new StringBuilder();
        var stderr = new LineTail(StderrTailLines);
        var command = Commands.Create(executable, arguments, stderr, environment: environment)
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
