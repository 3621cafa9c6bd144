using System.Text;
using System.Threading.Channels;
using ActorRecorder.Media.Processes.Internal;
using CliWrap;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// The node's side of its watchdog: a separate process (<c>actorrecorder watchdog</c>, running a <see cref="WatchdogLoop"/>)
/// that kills the node's recordings when the node dies or freezes, so that no ffmpeg records on for a node whose channels
/// have moved to another node. Through the watchdog's standard input it names the processes to watch (<see cref="Watch"/>,
/// <see cref="Forget"/>) and sends a heartbeat from a timer. If the watchdog process exits, it is started again (at most
/// once a second) and told every process still watched. Thread-safe.
/// <para>
/// Disposing closes the watchdog's input: the watchdog kills every process still watched, then exits. A node that stops
/// gracefully has stopped its recordings before (each one is forgotten when it exits), so whatever is still watched then
/// outlived the node's stop, and must not outlive the node.
/// </para>
/// </summary>
public sealed class RecorderWatchdog : IRecorderWatch, IAsyncDisposable
{
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(1);

    /// <summary>A watchdog that keeps exiting is started again at most this often.</summary>
    private static readonly TimeSpan RestartInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long disposal waits for the watchdog to exit once its input is closed, before killing it.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(5);

    private readonly string _executable;
    private readonly IReadOnlyList<string> _arguments;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _watched = [];
    private readonly List<string> _leaseHolders = [];
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly CancellationTokenSource _disposing = new();
    private readonly ITimer _heartbeat;
    private readonly Task _supervision;
    private Run? _run; // null while it is being started again
    private bool _disposed;

    private RecorderWatchdog(string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment,
        Action<string>? onLogLine, TimeSpan heartbeat, TimeProvider time)
    {
        _executable = executable;
        _arguments = arguments;
        _environment = environment;
        _log = onLogLine ?? (_ => { });
        _time = time;
        _run = StartRun();
        _heartbeat = time.CreateTimer(_ => Send(WatchdogLine.Heartbeat), null, heartbeat, heartbeat);
        _supervision = SuperviseAsync(_run);
    }

    /// <summary>The running watchdog process; null while it is being started again.</summary>
    public int? Pid
    {
        get
        {
            lock (_gate)
            {
                return _run?.Pid;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> with <paramref name="arguments"/> (the <c>watchdog</c> verb and its
    /// <c>--timeout</c>, which must be a few <paramref name="heartbeat"/>s). <paramref name="onLogLine"/> gets the
    /// watchdog's log lines (its kills) and this class's own (restarts), on background threads; it must not throw.
    /// <paramref name="environment"/> is added to the watchdog's (how it learns a secret such as the database it releases
    /// leases in: not on its command line, which any user of the machine may read).
    /// </summary>
    /// <exception cref="ProcessFailedException">The watchdog could not start (not found, not executable).</exception>
    public static RecorderWatchdog Start(string executable, IReadOnlyList<string> arguments, Action<string>? onLogLine = null,
        TimeSpan? heartbeat = null, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var interval = heartbeat ?? DefaultHeartbeat;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new RecorderWatchdog(executable, arguments, environment ?? new Dictionary<string, string?>(), onLogLine, interval, time ?? TimeProvider.System);
    }

    /// <summary>Has <paramref name="pid"/> killed if the node dies or freezes. Ignored after disposal.</summary>
    public void Watch(int pid)
    {
        lock (_gate)
        {
            if (!_disposed && _watched.Add(pid))
            {
                _run?.Lines.Writer.TryWrite(WatchdogLine.Watch(pid));
            }
        }
    }

    /// <summary>Forgets <paramref name="pid"/>: it has exited (its pid may be reused from now on).</summary>
    public void Forget(int pid)
    {
        lock (_gate)
        {
            if (!_disposed && _watched.Remove(pid))
            {
                _run?.Lines.Writer.TryWrite(WatchdogLine.Forget(pid));
            }
        }
    }

    /// <summary>
    /// Tells the watchdog that the node holds leases as <paramref name="holder"/> (its address and incarnation): once the
    /// node is dead and every recording it killed is gone, the watchdog may release them at once, so the node's channels
    /// move without waiting for the leases to expire. Each incarnation of the node tells its own. Ignored after disposal.
    /// </summary>
    public void LeasesHeldAs(string holder)
    {
        var line = WatchdogLine.LeaseHolder(holder);
        lock (_gate)
        {
            if (!_disposed && !_leaseHolders.Contains(holder))
            {
                _leaseHolders.Add(holder);
                _run?.Lines.Writer.TryWrite(line);
            }
        }
    }

    void IRecorderWatch.Started(int pid) => Watch(pid);

    void IRecorderWatch.Exited(int pid) => Forget(pid);

    /// <summary>Closes the watchdog's input: it kills every process still watched and exits (killed itself after 5 s).</summary>
    public async ValueTask DisposeAsync()
    {
        Run? run;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            run = _run;
            _run = null;
        }
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        await _disposing.CancelAsync().ConfigureAwait(false);
        if (run is not null)
        {
            run.Lines.Writer.TryComplete();
            try
            {
                await run.Exited.WaitAsync(ExitTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await run.Kill.CancelAsync().ConfigureAwait(false);
                await run.Exited.ConfigureAwait(false);
            }
            run.Kill.Dispose();
        }
        await _supervision.ConfigureAwait(false);
        _disposing.Dispose();
    }

    private void Send(string line)
    {
        lock (_gate)
        {
            _run?.Lines.Writer.TryWrite(line);
        }
    }

    /// <summary>Starts a watchdog process, its input beginning with every pid watched (called in the constructor or under the gate).</summary>
    private Run StartRun()
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        foreach (var pid in _watched)
        {
            lines.Writer.TryWrite(WatchdogLine.Watch(pid));
        }
        foreach (var holder in _leaseHolders)
        {
            lines.Writer.TryWrite(WatchdogLine.LeaseHolder(holder));
        }
        var stderr = new LineTail(3);
        var command = Commands.Create(_executable, _arguments, stderr, _log)
            .WithEnvironmentVariables(_environment)
            .WithStandardInputPipe(PipeSource.Create((stdin, exited) => WriteLinesAsync(lines.Reader, stdin, exited)));
        var kill = new CancellationTokenSource();
        try
        {
            var execution = Commands.Start(command, CommandLine.Format(_executable, _arguments), kill.Token, CancellationToken.None);
            return new Run(lines, execution.ProcessId, _time.GetTimestamp(), kill, DescribeExitAsync(execution, stderr));
        }
        catch
        {
            kill.Dispose();
            throw;
        }
    }

    /// <summary>Writes the lines as they come; when the channel is completed (disposal), returning closes the watchdog's input.</summary>
    private static async Task WriteLinesAsync(ChannelReader<string> lines, Stream stdin, CancellationToken processExited)
    {
        await foreach (var line in lines.ReadAllAsync(processExited).ConfigureAwait(false))
        {
            await stdin.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), processExited).ConfigureAwait(false);
            await stdin.FlushAsync(processExited).ConfigureAwait(false);
        }
    }

    /// <summary>Never faults: how the process ended, for the log.</summary>
    private static async Task<string> DescribeExitAsync(CommandTask<CommandResult> execution, LineTail stderr)
    {
        try
        {
            var result = await execution.ConfigureAwait(false);
            return $"exit code {result.ExitCode}" + (stderr.Snapshot() is [.., var last] ? ": " + last : "");
        }
        catch (OperationCanceledException)
        {
            return "killed after its input was closed";
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Starts the watchdog again whenever it exits, until disposal.</summary>
    private async Task SuperviseAsync(Run? run)
    {
        while (true)
        {
            var wait = RestartInterval;
            if (run is not null)
            {
                var exit = await run.Exited.ConfigureAwait(false);
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return; // disposal closed it and waits for it
                    }
                    _run = null;
                }
                run.Kill.Dispose();
                wait -= _time.GetElapsedTime(run.StartedAt);
                _log($"the watchdog process {run.Pid} exited ({exit}): starting it again");
            }
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, _disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            ProcessFailedException? failure = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                try
                {
                    run = _run = StartRun();
                }
                catch (ProcessFailedException ex)
                {
                    run = null;
                    failure = ex;
                }
            }
            if (failure is not null)
            {
                _log($"the watchdog could not be started again: {failure.Message}");
            }
        }
    }

    /// <summary>One watchdog process: the lines waiting for its input, and how it ended.</summary>
    private sealed record Run(Channel<string> Lines, int Pid, long StartedAt, CancellationTokenSource Kill, Task<string> Exited);
}
