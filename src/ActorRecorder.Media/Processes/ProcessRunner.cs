using System.ComponentModel;
using System.Diagnostics;

namespace ActorRecorder.Media.Processes;

/// <summary>Starts child processes from a <see cref="ProcessSpec"/>: argument list, never a shell.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Starts the process with piped standard input, output and error. Each output line goes to
    /// <paramref name="onOutput"/> (on a reader thread, in order); each error line to <paramref name="onError"/>
    /// and to the kept tail.
    /// </summary>
    /// <exception cref="ProcessFailedException">The executable could not be started (not found, not executable).</exception>
    public static RunningProcess Start(ProcessSpec spec, Action<string>? onOutput = null, Action<string>? onError = null)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            process.Dispose();
            throw new ProcessFailedException($"could not start '{spec.FileName}': {ex.Message}", spec.CommandLine, null, [], ex);
        }
        var tail = new StderrTail(spec.StderrTailLines);
        var readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, onOutput),
            PumpAsync(process.StandardError, line =>
            {
                tail.Add(line);
                onError?.Invoke(line);
            }));
        return new RunningProcess(spec, process, tail, readers);
    }

    /// <summary>Runs to completion and returns its standard output; a non-zero exit throws with the stderr tail.</summary>
    public static async Task<string> RunForOutputAsync(ProcessSpec spec, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var output = new System.Text.StringBuilder();
        await using var running = Start(spec, line => output.AppendLine(line));
        ProcessResult result;
        try
        {
            result = await running.Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            running.Kill();
            throw new ProcessFailedException($"timed out after {timeout.TotalSeconds:0.#} s", spec.CommandLine, null, running.StderrTail, ex);
        }
        if (!result.Succeeded)
        {
            throw new ProcessFailedException("the process failed", spec.CommandLine, result.ExitCode, result.StderrTail);
        }
        return output.ToString();
    }

    private static async Task PumpAsync(StreamReader reader, Action<string>? onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine?.Invoke(line);
        }
    }
}
