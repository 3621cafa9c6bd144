using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Processes.Internal;

namespace ActorRecorder.Media.Tests.Processes;

/// <summary>How the watchdog tells the process it was told about from a later one with the same pid.</summary>
public sealed class WatchedProcessSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task A_process_with_the_same_pid_but_another_start_time_must_not_count_as_the_watched_one()
    {
        await using var sleeper = ChildProcess.Start("sleep", ["1000"]);
        var watched = WatchedProcess.Capture(sleeper.Pid)!;
        // What the watchdog would hold had it been told about an earlier process with this pid.
        var earlier = new WatchedProcess(sleeper.Pid, watched.StartTime - 1, File.ReadAllBytes($"/proc/{sleeper.Pid}/cmdline"), "sleep");

        Assert.Equal(WatchedProcess.Presence.Running, watched.Check());
        Assert.Equal(WatchedProcess.Presence.Replaced, earlier.Check());

        sleeper.Kill();
        await sleeper.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WatchedProcess.Presence.Gone, watched.Check());
        Assert.Null(WatchedProcess.Capture(sleeper.Pid));
    }

    [Fact]
    public void The_stat_line_must_be_read_after_a_command_name_with_spaces_and_parentheses()
    {
        var fields = string.Join(' ', Enumerable.Range(6, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var stat = ProcStat.Parse($"4242 (a) b (c) S 77 {fields} 123456789 24 25\n");

        Assert.Equal(new ProcStat('S', 77, 123456789), stat);
        Assert.Null(ProcStat.Parse("4242 (truncated"));
    }
}
