using System.ComponentModel;
using System.Text;
using CliWrap;

namespace ActorRecorder.Media.Processes.Internal;

/// <summary>What <see cref="Tool"/> and <see cref="ChildProcess"/> share: the CliWrap command and how a failed start is reported.</summary>
internal static class Commands
{
    /// <summary>
    /// A command that never validates the exit code (callers decide what a failure is) and sends each line of
    /// standard error to <paramref name="stderr"/> and then to <paramref name="onStderrLine"/>. <paramref name="environment"/>
    /// changes the node's environment for the child (a null value removes a variable).
    /// </summary>
    public static Command Create(string executable, IReadOnlyList<string> arguments, LineTail stderr, Action<string>? onStderrLine = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                stderr.Add(line);
                onStderrLine?.Invoke(line);
            }, Encoding.UTF8));

    /// <summary>Starts the command; the process is running when this returns.</summary>
    /// <exception cref="ProcessFailedException">It could not start (not found, not executable); <c>ExitCode</c> is null.</exception>
    public static CommandTask<CommandResult> Start(Command command, string commandLine,
        CancellationToken forcefulCancellationToken, CancellationToken gracefulCancellationToken)
    {
        try
        {
            return command.ExecuteAsync(forcefulCancellationToken, gracefulCancellationToken);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // CliWrap wraps the OS error ("No such file or directory") in a generic one.
            var cause = ex.InnerException?.Message ?? ex.Message;
            throw new ProcessFailedException($"could not start '{command.TargetFilePath}': {cause}", commandLine, null, [], ex);
        }
    }
}
