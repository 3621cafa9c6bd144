using ActorRecorder.Media.Processes.Internal;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// What the watchdog process (<c>actorrecorder watchdog</c>) does. It reads its node's lines — <c>+PID</c> watch,
/// <c>-PID</c> forget, <c>.</c> heartbeat, written by <see cref="RecorderWatchdog"/> — and kills (SIGKILL) every watched
/// process that still runs:
/// <list type="bullet">
/// <item>when no line has come for the timeout: the node is frozen (SIGSTOP, a VM pause, a long GC) and its channels are
/// about to move to another node. It then goes on reading: the node may thaw, send heartbeats and start recordings again.</item>
/// <item>when its input ends (the node closed it, or died) or its parent is gone: it then waits until every process it
/// killed is gone and returns what the caller may now release (<see cref="NodeGone"/>).</item>
/// </list>
/// A process is killed only while it is still the one it was told about (same start time and command line): a process
/// that reuses the pid, or a pid that exec'd another program, is left alone. The log (standard error) has one line per
/// process it starts watching, one per kill, and one when the node falls silent or comes back.
/// </summary>
public sealed class WatchdogLoop
{
    /// <summary>How long the end waits for the processes it killed to be gone (a SIGKILL takes effect in milliseconds,
    /// unless a process is stuck in the kernel, on a hung network file system say).</summary>
    private static readonly TimeSpan KilledGoneWithin = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, WatchedProcess> _watched = [];
    private readonly List<string> _leaseHolders = [];
    private readonly TimeSpan _timeout;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;

    /// <param name="timeout">How long the node may stay silent: a few of its heartbeats.</param>
    /// <param name="log">Where the log lines go (the process's standard error).</param>
    /// <param name="time">The clock the silence is measured with.</param>
    public WatchdogLoop(TimeSpan timeout, TextWriter log, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How often the silence and the parent are checked: a kill comes at most this long after the timeout.</summary>
    private TimeSpan CheckInterval => TimeSpan.FromMilliseconds(Math.Clamp(_timeout.TotalMilliseconds / 4, 20, 250));

    /// <summary>Runs until <paramref name="input"/> ends or the parent process is gone, and kills what is watched then.</summary>
    /// <returns>The node's lease holders (its <c>@HOLDER</c> lines), and whether every process it killed at the end is gone.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was killed.</exception>
    public async Task<NodeGone> RunAsync(TextReader input, CancellationToken cancellationToken = default)
    {
        var parent = ProcStat.ReadSelf()?.ParentPid;
        Log($"watchdog {Environment.ProcessId} started for its parent {parent}: it kills the processes it watches after {Seconds(_timeout)} without a line, or when its input ends");
        using var ticker = new PeriodicTimer(CheckInterval, _time);
        var line = input.ReadLineAsync(cancellationToken).AsTask();
        var tick = ticker.WaitForNextTickAsync(cancellationToken).AsTask();
        var lastLine = _time.GetTimestamp();
        var silent = false;
        while (true)
        {
            await Task.WhenAny(line, tick).ConfigureAwait(false);
            if (line.IsCompleted)
            {
                if (await line.ConfigureAwait(false) is not { } text)
                {
                    return await EndAsync("the node closed its end of the pipe (it stopped or died)").ConfigureAwait(false);
                }
                if (silent)
                {
                    Log($"the node is back after {Seconds(_time.GetElapsedTime(lastLine))} of silence");
                    silent = false;
                }
                lastLine = _time.GetTimestamp();
                Apply(text);
                line = input.ReadLineAsync(cancellationToken).AsTask();
            }
            if (tick.IsCompleted)
            {
                await tick.ConfigureAwait(false);
                tick = ticker.WaitForNextTickAsync(cancellationToken).AsTask();
                if (parent is { } pid && ProcStat.ReadSelf()?.ParentPid != pid)
                {
                    return await EndAsync($"its parent {pid} (the node) is gone").ConfigureAwait(false);
                }
                if (!silent && _time.GetElapsedTime(lastLine) >= _timeout)
                {
                    silent = true;
                    Log($"no line from the node for {Seconds(_timeout)}: it is frozen or stalled");
                    KillAll("the node is silent");
                }
            }
        }
    }

    /// <summary>The node is gone: kills what it still recorded and waits until those processes are gone.</summary>
    private async Task<NodeGone> EndAsync(string reason)
    {
        var killed = KillAll(reason);
        var waiting = _time.GetTimestamp();
        while (killed.Any(p => p.Check() == WatchedProcess.Presence.Running) && _time.GetElapsedTime(waiting) < KilledGoneWithin)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time).ConfigureAwait(false);
        }
        var stuck = killed.Where(p => p.Check() == WatchedProcess.Presence.Running).ToList();
        foreach (var process in stuck)
        {
            Log($"pid {process.Pid} ({process.Name}) still runs {Seconds(KilledGoneWithin)} after it was killed");
        }
        return new NodeGone([.. _leaseHolders], stuck.Count == 0);
    }

    private void Apply(string line)
    {
        if (WatchdogLine.TryParseLeaseHolder(line, out var holder))
        {
            if (!_leaseHolders.Contains(holder))
            {
                _leaseHolders.Add(holder);
            }
        }
        else if (WatchdogLine.TryParse(line, out var watch, out var pid))
        {
            if (!watch)
            {
                _watched.Remove(pid);
            }
            else if (WatchedProcess.Capture(pid) is { } process)
            {
                _watched[pid] = process;
                Log($"watching pid {pid} ({process.Name})");
            }
            // else it has already exited: there is nothing to watch
        }
        else if (line is not (WatchdogLine.Heartbeat or ""))
        {
            Log($"ignored a line it does not understand: '{(line.Length > 40 ? line[..40] + "..." : line)}'");
        }
    }

    /// <returns>The processes that ran: each was sent SIGKILL.</returns>
    private List<WatchedProcess> KillAll(string reason)
    {
        var killed = new List<WatchedProcess>();
        foreach (var process in _watched.Values)
        {
            switch (process.Check())
            {
                case WatchedProcess.Presence.Running:
                    Log(Signals.Send(process.Pid, Signals.SigKill)
                        ? $"killed pid {process.Pid} ({process.Name}): {reason}"
                        : $"could not kill pid {process.Pid} ({process.Name}): {reason}");
                    killed.Add(process); // whether it is gone is checked, not assumed
                    break;
                case WatchedProcess.Presence.Replaced:
                    Log($"left pid {process.Pid} alone: it is no longer the {process.Name} it was told to watch (now {WatchedProcess.NameOf(process.Pid)})");
                    break;
            }
        }
        _watched.Clear(); // killed, gone or someone else: nothing is left to watch
        return killed;
    }

    private void Log(string message) => _log.WriteLine(message);

    private static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds:0.#} s";
}

/// <summary>
/// How a node's watchdog ended: the lease holders the node announced (each incarnation's), and whether every recording
/// it had to kill is gone. When it is, nothing of the node records any more, so its leases may be released at once
/// rather than left to expire: its channels move to other nodes without waiting for the lease's ttl.
/// </summary>
public sealed record NodeGone(IReadOnlyList<string> LeaseHolders, bool RecordingsGone);
