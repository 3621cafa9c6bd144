using System.Diagnostics;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// A started child process. Standard output is delivered line by line to the callback given at start;
/// standard error is kept as a bounded tail. <see cref="Completion"/> ends with a <see cref="ProcessResult"/>
/// (never faults: a non-zero exit is a result, not an exception). Stopping has two paths, as in CliWrap:
/// graceful (<see cref="StopAsync"/>: 'q', then SIGINT, then kill) and forceful (<see cref="Kill"/>).
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StderrTail _stderr;
    private readonly TaskCompletionSource<ProcessResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private int _stopReason = (int)StopReason.Exited;

    internal RunningProcess(ProcessSpec spec, Process process, StderrTail stderr, Task readers)
    {
        Spec = spec;
        _process = process;
        _stderr = stderr;
        Pid = process.Id;
        _ = ObserveExitAsync(readers);
    }

    public ProcessSpec Spec { get; }

    public int Pid { get; }

    public Task<ProcessResult> Completion => _completion.Task;

    public bool HasExited => _completion.Task.IsCompleted;

    /// <summary>The last lines written to standard error so far.</summary>
    public IReadOnlyList<string> StderrTail => _stderr.Snapshot();

    /// <summary>
    /// Asks the process to finish: writes 'q' to its standard input (ffmpeg closes its files cleanly),
    /// then after <paramref name="quitTimeout"/> sends SIGINT, then after <paramref name="interruptTimeout"/> kills it.
    /// Completes with the result once the process has exited.
    /// </summary>
    public async Task<ProcessResult> StopAsync(TimeSpan quitTimeout, TimeSpan interruptTimeout, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        if (HasExited)
        {
            return await Completion.ConfigureAwait(false);
        }
        Interlocked.CompareExchange(ref _stopReason, (int)StopReason.Quit, (int)StopReason.Exited);
        try
        {
            await _process.StandardInput.WriteAsync("q").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // stdin already closed: go straight to the signal
        }
        if (await ExitedWithin(quitTimeout, time).ConfigureAwait(false))
        {
            return await Completion.ConfigureAwait(false);
        }
        Volatile.Write(ref _stopReason, (int)StopReason.Interrupted);
        Signals.Send(Pid, Signals.SigInt);
        if (await ExitedWithin(interruptTimeout, time).ConfigureAwait(false))
        {
            return await Completion.ConfigureAwait(false);
        }
        Kill();
        return await Completion.ConfigureAwait(false);
    }

    /// <summary>Kills the process (SIGKILL) at once; a process that already exited is left alone.</summary>
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }
        Volatile.Write(ref _stopReason, (int)StopReason.Killed);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    /// <summary>Sends a POSIX signal (tests use SIGSTOP/SIGCONT to simulate a stalled process).</summary>
    public bool Signal(int signal) => Signals.Send(Pid, signal);

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

    private async Task ObserveExitAsync(Task readers)
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await readers.ConfigureAwait(false);
        }
        finally
        {
            var code = _process.HasExited ? _process.ExitCode : -1;
            _completion.TrySetResult(new ProcessResult(code, (StopReason)Volatile.Read(ref _stopReason), _stderr.Snapshot(),
                Stopwatch.GetElapsedTime(_startedAt)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Completion.ConfigureAwait(false);
        _process.Dispose();
    }
}
