using ActorRecorder.Media.Processes;
using Microsoft.Extensions.Time.Testing;
using static ActorRecorder.Media.Tests.Processes.WatchdogFixture;

namespace ActorRecorder.Media.Tests.Processes;

/// <summary>
/// The node's side against the real <c>actorrecorder watchdog</c>, with <c>sleep</c> as the recordings. Heartbeats come
/// from a fake clock: the spec plays the live node by advancing it, and freezes the node by no longer doing so.
/// </summary>
public sealed class RecorderWatchdogSpecs
{
    /// <summary>
    /// The watchdog process counts silence on the wall clock while this spec beats: long enough that a loaded machine
    /// pausing the spec between two beats (250 ms apart) does not pass for a silent node.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan NoTimeout = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new();
    private readonly LogLines _log = new();

    [Fact(Timeout = 60_000)]
    public async Task A_watched_process_must_be_killed_within_the_timeout_once_the_heartbeats_stop()
    {
        await using var watchdog = await StartAsync(Timeout);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(recording.Pid);
        await _log.WaitForAsync(l => l == $"watching pid {recording.Pid} (sleep)", "registration");

        await BeatAsync(Timeout * 1.5);
        Assert.False(recording.HasExited, "phase 1: heartbeats must keep the recording alive past the timeout");

        var frozenFor = await TimeUntilExitAsync(recording); // the node freezes: no more heartbeats

        Assert.True(recording.HasExited, "phase 2: the recording must be killed once the node is silent");
        // Not before the timeout (counted from the last beat, at most one beat before the freeze); how late is the load's.
        Assert.True(frozenFor >= Timeout - Beat, $"phase 2: killed {frozenFor.TotalSeconds:0.00} s after the last heartbeat (timeout {Timeout.TotalSeconds} s)");
        await _log.WaitForAsync(l => l == $"killed pid {recording.Pid} (sleep): the node is silent", "phase 2: the kill is logged");
    }

    [Fact(Timeout = 60_000)]
    public async Task Heartbeats_resuming_after_a_timeout_must_keep_the_processes_watched_then_alive()
    {
        await using var watchdog = await StartAsync(Timeout);
        await using var before = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(before.Pid);
        await TimeUntilExitAsync(before);
        Assert.True(before.HasExited, "phase 1: the node froze: what it recorded then is killed");

        using var thawed = new CancellationTokenSource();
        var beating = BeatUntilAsync(thawed.Token);
        await using var after = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(after.Pid);
        await _log.WaitForAsync(l => l == $"watching pid {after.Pid} (sleep)", "phase 2: the thawed node's new recording is watched");
        await Task.Delay(Timeout + TimeSpan.FromSeconds(1)); // the live node goes on beating meanwhile
        Assert.False(after.HasExited, "phase 2: the thawed node's new recording must live while heartbeats come");
        Assert.Contains(_log.Lines, l => l.StartsWith("the node is back after", StringComparison.Ordinal));

        await thawed.CancelAsync();
        await beating;
        await TimeUntilExitAsync(after);
        Assert.True(after.HasExited, "phase 3: frozen again, the node's new recording is killed too");
    }

    [Fact(Timeout = 60_000)]
    public async Task Disposing_must_kill_every_process_still_watched_at_once()
    {
        var watchdog = await StartAsync(NoTimeout);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(recording.Pid);

        await watchdog.DisposeAsync();
        await TimeUntilExitAsync(recording);

        // Killed because the input closed (the log line's reason), not by the timeout (5 min, beyond this spec's patience).
        Assert.True(recording.HasExited, "the recording must be killed when the watchdog's input is closed");
        Assert.Contains($"killed pid {recording.Pid} (sleep): the node closed its end of the pipe (it stopped or died)", _log.Lines);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_forgotten_process_must_not_be_killed()
    {
        var watchdog = await StartAsync(NoTimeout);
        await using var ended = ChildProcess.Start("sleep", ["1000"]);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(ended.Pid);
        watchdog.Watch(recording.Pid);
        watchdog.Forget(ended.Pid);

        await watchdog.DisposeAsync(); // returns once the watchdog has exited: all its kills are done

        await TimeUntilExitAsync(recording);
        Assert.True(recording.HasExited, "the process still watched is killed (the forget was read before the end of the input)");
        Assert.False(ended.HasExited, "the forgotten process must be left alone");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_pid_that_now_runs_another_command_must_not_be_killed()
    {
        var trigger = Path.Combine(Path.GetTempPath(), "ar-watchdog-exec-" + Guid.NewGuid().ToString("N"));
        var watchdog = await StartAsync(NoTimeout);
        await using var shell = ChildProcess.Start("/bin/sh", ["-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done; exec sleep 1000", "sh", trigger]);
        watchdog.Watch(shell.Pid);
        await _log.WaitForAsync(l => l == $"watching pid {shell.Pid} (sh)", "registration");

        await File.WriteAllTextAsync(trigger, "");
        // The shell exec's sleep (same pid, same start time, another command line): polled, as nothing announces it.
        while (Media.Processes.Internal.WatchedProcess.NameOf(shell.Pid) != "sleep")
        {
            await Task.Delay(20);
        }
        await watchdog.DisposeAsync();

        File.Delete(trigger);
        Assert.False(shell.HasExited, "the pid now runs another command: it must be left alone");
        Assert.Contains($"left pid {shell.Pid} alone: it is no longer the sh it was told to watch (now sleep)", _log.Lines);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_watchdog_that_dies_must_be_started_again_and_told_the_processes_watched()
    {
        var watchdog = await StartAsync(NoTimeout, TimeProvider.System);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(recording.Pid);
        await _log.WaitForAsync(l => l == $"watching pid {recording.Pid} (sleep)", "registration");
        var first = watchdog.Pid!.Value;

        Signals.Send(first, Signals.SigKill);

        await _log.WaitForAsync(l => l.StartsWith($"the watchdog process {first} exited", StringComparison.Ordinal), "phase 1: the death is noticed");
        await _log.WaitForAsync(l => l == $"watching pid {recording.Pid} (sleep)", "phase 2: the new watchdog is told the pids", count: 2);
        Assert.NotEqual(first, watchdog.Pid);
        await watchdog.DisposeAsync();
        await TimeUntilExitAsync(recording);
        Assert.True(recording.HasExited, "phase 3: the new watchdog kills what it was told about");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_recording_started_after_the_watchdog_must_not_hold_the_watchdogs_input_open()
    {
        // Were the node's end of the pipe inherited by its ffmpeg, a dead node's watchdog would never see its input end.
        await using var watchdog = await StartAsync(NoTimeout);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);

        var input = new FileInfo($"/proc/{watchdog.Pid}/fd/0").LinkTarget;
        var held = Directory.GetFiles($"/proc/{recording.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();

        Assert.StartsWith("pipe:", input);
        Assert.DoesNotContain(input, held);
    }

    /// <summary>A watchdog whose heartbeats come from the fake clock, once it is reading its input.</summary>
    private async Task<RecorderWatchdog> StartAsync(TimeSpan timeout, TimeProvider? time = null)
    {
        var watchdog = RecorderWatchdog.Start(Dotnet, Arguments(timeout), _log.Add, Beat, time ?? _time);
        await _log.WaitForAsync(IsStartLine, "the watchdog starts");
        return watchdog;
    }

    /// <summary>Plays the live node's heartbeat timer for <paramref name="duration"/> of real time (the watchdog's clock).</summary>
    private async Task BeatAsync(TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        await BeatUntilAsync(stop.Token);
    }

    private async Task BeatUntilAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            _time.Advance(Beat);
            await Task.WhenAny(Task.Delay(Beat, stop));
        }
    }
}
