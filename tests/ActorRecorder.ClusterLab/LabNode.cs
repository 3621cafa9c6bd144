using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.ClusterLab;

/// <summary>
/// One recorder node of a <see cref="LocalCluster"/>: <c>actorrecorder run --config node-N.conf</c> as a child process on
/// its own loopback port, with its output kept (timestamped) and signals to kill, freeze, thaw and stop it.
/// </summary>
public sealed partial class LabNode
{
    private readonly string _cliPath;
    private readonly Action<string>? _log;
    private readonly List<(DateTimeOffset At, string Line)> _output = [];
    private Process? _process;

    internal LabNode(int index, int port, string configPath, string cliPath, Action<string>? log)
    {
        Index = index;
        Port = port;
        ConfigPath = configPath;
        _cliPath = cliPath;
        _log = log;
    }

    /// <summary>1, 2, 3...: the name of the node in reports ("node 2").</summary>
    public int Index { get; }

    public int Port { get; }

    public string ConfigPath { get; }

    /// <summary>The running process's pid, or null when the node is not running.</summary>
    public int? Pid
    {
        get
        {
            try
            {
                return _process is { HasExited: false } process ? process.Id : null;
            }
            catch (InvalidOperationException)
            {
                return null; // the earlier process's object, disposed by a restart while another thread looked at it
            }
        }
    }

    public bool IsRunning => Pid is not null;

    /// <summary>When the node was last started: of the running nodes, the earliest started is the cluster's oldest member,
    /// which runs the sharding coordinator.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Starts the node (again, after it was killed or stopped).</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"node {Index} is already running");
        }
        var earlier = _process;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { _cliPath, "run", "--config", ConfigPath })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        earlier?.Dispose();
        StartedAt = TimeProvider.System.GetUtcNow();
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Send(process.Id, Signals.SigKill);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the node freezes (its ffmpeg processes and its watchdog do not).</summary>
    public void Freeze() => Signals.Send(RunningPid, Signals.SigStop);

    /// <summary>SIGCONT.</summary>
    public void Thaw() => Signals.Send(RunningPid, Signals.SigCont);

    /// <summary>SIGTERM (a graceful stop: its channels are handed off) and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"node {Index} was never started");
        if (!process.HasExited)
        {
            Signals.Send(process.Id, Signals.SigTerm);
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        return process.ExitCode;
    }

    /// <summary>Waits for the node to exit by itself (it was asked to leave the cluster); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"node {Index} was never started");
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    /// <summary>The node's output so far (both streams), with when each line arrived.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Line)> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>
    /// The channels whose actor runs on this incarnation of the node, recording or not: those it logged "channel X: running
    /// on this node" for since it last started and not "channel X: stopped on this node" after. Empty while it is not running.
    /// </summary>
    public IReadOnlySet<string> ChannelsHosted
    {
        get
        {
            var hosted = new HashSet<string>(StringComparer.Ordinal);
            if (!IsRunning)
            {
                return hosted;
            }
            foreach (var (at, line) in Output)
            {
                if (at >= StartedAt && HostedLine().Match(line) is { Success: true } match)
                {
                    _ = match.Groups[2].Value == "running" ? hosted.Add(match.Groups[1].Value) : hosted.Remove(match.Groups[1].Value);
                }
            }
            return hosted;
        }
    }

    /// <summary>Whether the node printed a line containing <paramref name="text"/> since it last started.</summary>
    public bool SaidSinceStart(string text) => Output.Any(o => o.At >= StartedAt && o.Line.Contains(text, StringComparison.Ordinal));

    [GeneratedRegex(@"channel (\S+): (running|stopped) on this node")]
    private static partial Regex HostedLine();

    /// <summary>The output as one text (for assertion messages).</summary>
    public string OutputText => string.Join('\n', Output.Select(o => o.Line));

    private int RunningPid => Pid ?? throw new InvalidOperationException($"node {Index} is not running");

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add((TimeProvider.System.GetUtcNow(), line));
        }
        _log?.Invoke($"node {Index}: {line}");
    }

    internal async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }
}
