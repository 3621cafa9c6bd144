using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// The decider's schedule and title rules on the script's clock (virtual time: each input at an explicit instant). The
/// script starts on Monday 2026-11-30 at 20:00 UTC.
/// </summary>
public sealed class ScheduleRuleSpecs
{
    private static ChannelScript Script(string[] windows, WindowEnd end = WindowEnd.Finish, string include = "", string exclude = "")
    {
        var settings = ChannelScript.DefaultSettings() is var s
            ? s with { Recording = s.Recording with { Schedule = string.Join(" | ", windows), OnWindowEnd = end, TitleInclude = include, TitleExclude = exclude } }
            : null!;
        var script = new ChannelScript(settings);
        script.Give(new ConfigureChannel(settings));
        script.Give(new DiskMeasured(long.MaxValue));
        return script;
    }

    private static TimeSpan WindowTimer(ChannelScript script) =>
        script.Last.Effects.OfType<StartTimer>().Single(t => t.Key == "window").Delay;

    [Fact]
    public void Outside_every_window_the_monitor_must_sleep_until_the_next_opens_and_then_check_at_once()
    {
        var script = new ChannelScript(ChannelScript.DefaultSettings() is var s ? s with { Recording = s.Recording with { Schedule = "daily 22:00-02:00" } } : null!);
        script.Give(new ConfigureChannel(script.Settings));
        Assert.Contains(script.Last.Effects, e => e is StopMonitor);
        Assert.DoesNotContain(script.Last.Effects, e => e is StartMonitor);
        Assert.Equal(TimeSpan.FromHours(2), script.Last.Effects.OfType<StartTimer>().Single(t => t.Key == "window").Delay);
        Assert.True(script.R.Sleeping);
        Assert.StartsWith("outside the recording windows daily 22:00-02:00 (UTC); the next opens Mon 22:00 (UTC)", ChannelDecider.SkipStatus(script.State, script.Now));

        script.Give(new DiskMeasured(long.MaxValue));
        script.After(TimeSpan.FromHours(2)).Give(new WindowEdge());
        Assert.NotNull(script.Effect<StartMonitor>());
        Assert.Equal(TimeSpan.FromHours(4), WindowTimer(script)); // to the close at 02:00
        Assert.False(script.R.Sleeping);
        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>());
    }

    [Fact]
    public void A_broadcast_outside_the_windows_must_be_journaled_once_and_recorded_when_a_window_opens()
    {
        var script = Script(["daily 19:00-20:30"]);
        script.After(TimeSpan.FromMinutes(40)).Give(new WindowEdge()); // 20:40: closed, nothing open
        Assert.True(script.R.Sleeping);

        script.After(TimeSpan.FromMinutes(5)).Give(new StartRecordingCommand()); // a start command wakes the monitor...
        Assert.NotNull(script.Effect<StartMonitor>());
        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>()); // ...and records what the window would skip
        Assert.Empty(script.Events<BroadcastSkipped>());
    }

    [Fact]
    public void A_broadcast_live_when_the_window_is_closed_must_be_skipped_once_with_the_reason()
    {
        var script = Script(["daily 21:00-23:00"]);
        Assert.True(script.R.Sleeping);
        script.Give(new StartRecordingCommand()); // wakes it; the command's broadcast is recorded...
        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>());

        var later = Script(["daily 21:00-23:00"]);
        later.After(TimeSpan.FromHours(1)).Give(new WindowEdge()); // 21:00, open
        later.Give(ChannelScript.Live("Late show"));
        later.After(TimeSpan.FromHours(2)).Give(new WindowEdge()); // 23:00: closed, the session finishes (default)
        Assert.DoesNotContain(later.Last.Effects, e => e is StopRecorder);
        later.Give(new Engine.Recording.RecordingStopped(later.R.Recorder!.Attempt, Engine.Recording.RecordingOutcome.Ended, "the stream ended", 0));
        later.After(TimeSpan.FromSeconds(11)).Give(new GraceExpired(later.P.Current!.Id));
        Assert.Single(later.Events<SessionEnded>());

        later.Give(ChannelScript.Live("Bonus"));
        later.Give(ChannelScript.Live("Bonus"));
        var skipped = Assert.Single(later.Events<BroadcastSkipped>());
        Assert.Equal("Bonus", skipped.Title);
        Assert.StartsWith("it is outside the recording windows daily 21:00-23:00 (UTC); the next opens Tue 21:00 (UTC)", skipped.Reason);
        Assert.Single(later.Events<SessionStarted>());
        Assert.True(later.R.Sleeping); // and nothing is polled until then
    }

    [Fact]
    public void With_on_window_end_stop_the_session_must_end_when_the_window_closes()
    {
        var script = Script(["Mon 19:00-21:00"], WindowEnd.Stop);
        script.Give(ChannelScript.Live());
        var attempt = script.R.Recorder!.Attempt;
        script.After(TimeSpan.FromHours(1)).Give(new WindowEdge());
        Assert.Contains("its recording window closed (on-window-end = stop)", script.Effect<StopRecorder>().Reason);
        script.Give(new Engine.Recording.RecordingStopped(attempt, Engine.Recording.RecordingOutcome.Ended, "stopped", 0));
        Assert.Contains("its recording window closed", Assert.Single(script.Events<SessionEnded>()).Reason);
    }

    [Fact]
    public void A_title_must_let_a_broadcast_in_when_it_changes_and_a_recording_must_never_stop_for_a_title()
    {
        var script = Script([], include: "speedrun", exclude: "rerun");
        script.Give(ChannelScript.Live("Starting soon"));
        Assert.Empty(script.Events<SessionStarted>());
        Assert.Equal("its title 'Starting soon' does not match title-include /speedrun/", Assert.Single(script.Events<BroadcastSkipped>()).Reason);
        Assert.False(script.R.Sleeping); // no windows: the monitor keeps polling for the title

        script.Give(new TitleSeen("Speedrun any%"));
        Assert.Equal("Speedrun any%", Assert.Single(script.Events<SessionStarted>()).Title);
        script.Give(new TitleSeen("Speedrun rerun later"));
        Assert.DoesNotContain(script.Last.Effects, e => e is StopRecorder);
        Assert.Single(script.Events<TitleChanged>());
    }
}
