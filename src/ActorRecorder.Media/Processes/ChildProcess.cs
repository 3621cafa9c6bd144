using System.Diagnostics;
using System.Text;
using ActorRecorder.Media.Processes.Internal;
using CliWrap;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// A long-running child (ffmpeg) started through CliWrap with standard input kept open: ffmpeg reads its
/// commands there, and 'q' is its clean stop. Standard output and error go line by line to the callbacks given
/// at start; standard error is also kept as a bounded tail. Stopping has CliWrap's two paths: graceful
/// (<see cref="StopAsync"/>: 'q', then SIGINT, then kill) and forceful (<see cref="Kill"/>).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly byte[] QuitCommand = "q"u8.ToArray();

    private readonly TaskCompletionSource _quitRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _interrupt = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly LineTail _stderr;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private int _stopReason = (int)StopReason.Exited;

    private ChildProcess(string commandLine, int stderrTailLines)
    {
        CommandLine = commandLine;
        _stderr = new LineTail(stderrTailLines);
    }

    public int Pid { get; private set; }

    /// <summary>The command line, quoted for messages and logs.</summary>
    public string CommandLine { get; }

    public bool HasExited => Completion.IsCompleted;

    /// <summary>The last lines written to standard error so far.</summary>
    public IReadOnlyList<string> StderrTail => _stderr.Snapshot();

    /// <summary>Never faults: completes with the result once the process has exited and its output has been read.</summary>
    public Task<ProcessResult> Completion { get; private set; } = null!;

    /// <summary>
    /// Starts <paramref name="executable"/> with <paramref name="arguments"/> (a list, never a shell).
    /// <paramref name="onStdoutLine"/> and <paramref name="onStderrLine"/> are called line by line, in order, on a
    /// background thread; they must not throw (a callback that throws ends the reading of its stream, and the
    /// result then carries the exception as <see cref="ProcessResult.Fault"/>). <paramref name="environment"/> changes the
    /// node's environment for the child (a null value removes a variable).
    /// </summary>
    /// <exception cref="ProcessFailedException">It could not start (not found, not executable); <c>ExitCode</c> is null.</exception>
    public static ChildProcess Start(string executable, IReadOnlyList<string> arguments, Action<string>? onStdoutLine = null,
        Action<string>? onStderrLine = null, int stderrTailLines = 40, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stderrTailLines);
        var child = new ChildProcess(Processes.CommandLine.Format(executable, arguments), stderrTailLines);
        var command = Commands.Create(executable, arguments, child._stderr, onStderrLine, environment)
            .WithStandardInputPipe(PipeSource.Create(child.QuitWhenAskedAsync))
            // Read even without a callback: a child whose output pipe is not drained blocks once it is full.
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => onStdoutLine?.Invoke(line), Encoding.UTF8));
        try
        {
            var execution = Commands.Start(command, child.CommandLine, child._kill.Token, child._interrupt.Token);
            child.Pid = execution.ProcessId;
            child.Completion = child.ObserveAsync(execution);
            return child;
        }
        catch
        {
            child.DisposeTokens();
            throw;
        }
    }

    /// <summary>
    /// Asks the process to finish: writes 'q' to its standard input (ffmpeg closes its files cleanly); after
    /// <paramref name="quitTimeout"/> sends SIGINT (CliWrap's graceful cancellation); after <paramref name="interruptTimeout"/>
    /// more kills it (CliWrap's forceful cancellation). Completes with the result once the process has exited.
    /// </summary>
    public async Task<ProcessResult> StopAsync(TimeSpan quitTimeout, TimeSpan interruptTimeout, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        if (!HasExited)
        {
            Escalate(StopReason.Quit);
            _quitRequested.TrySetResult();
            if (!await ExitedWithin(quitTimeout, time).ConfigureAwait(false))
            {
                Escalate(StopReason.Interrupted, _interrupt);
                if (!await ExitedWithin(interruptTimeout, time).ConfigureAwait(false))
                {
                    Kill();
                }
            }
        }
        return await Completion.ConfigureAwait(false);
    }

    /// <summary>Kills the process and its children (SIGKILL) at once; a process that already exited is left alone.</summary>
    public void Kill()
    {
        if (!HasExited)
        {
            Escalate(StopReason.Killed, _kill);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Completion.ConfigureAwait(false);
        DisposeTokens();
    }

    /// <summary>Standard input: nothing until a stop is asked for, then 'q', then open until the process exits.</summary>
    private async Task QuitWhenAskedAsync(Stream stdin, CancellationToken processExited)
    {
        await _quitRequested.Task.WaitAsync(processExited).ConfigureAwait(false);
        await stdin.WriteAsync(QuitCommand, processExited).ConfigureAwait(false);
        await stdin.FlushAsync(processExited).ConfigureAwait(false);
        // Closing standard input would be a second stop request to children that read it to the end (cat):
        // 'q' stays the only one, and SIGINT comes next if it is ignored.
        await Task.Delay(Timeout.InfiniteTimeSpan, processExited).ConfigureAwait(false);
    }

    private async Task<ProcessResult> ObserveAsync(CommandTask<CommandResult> execution)
    {
        int? exitCode = null;
        Exception? fault = null;
        try
        {
            exitCode = (await execution.ConfigureAwait(false)).ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Our SIGINT or kill ended it: CliWrap throws once the process is gone, without its exit code.
        }
        catch (Exception ex)
        {
            fault = ex; // Completion never faults: what went wrong on our side is part of the result
        }
        return new ProcessResult(exitCode, (StopReason)Volatile.Read(ref _stopReason), _stderr.Snapshot(), Stopwatch.GetElapsedTime(_startedAt))
        {
            Fault = fault,
        };
    }

    /// <summary>Records how far stopping went (never back down: a kill stays a kill) and fires the matching CliWrap cancellation.</summary>
    private void Escalate(StopReason reason, CancellationTokenSource? cancellation = null)
    {
        int current;
        do
        {
            current = Volatile.Read(ref _stopReason);
            if (current >= (int)reason)
            {
                break;
            }
        }
        while (Interlocked.CompareExchange(ref _stopReason, (int)reason, current) != current);
        try
        {
            cancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // it exited and was disposed meanwhile
        }
    }

    private async Task<bool> ExitedWithin(TimeSpan timeout, TimeProvider time)
    {
        try
        {
            await Completion.WaitAsync(timeout, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void DisposeTokens()
    {
        _interrupt.Dispose();
        _kill.Dispose();
    }
}
