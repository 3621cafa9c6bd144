using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Monitor;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>The decider's rules for a monitor that fails: a doubling back-off, a status that says so, one journaled streak.</summary>
public sealed class MonitorRuleSpecs
{
    [Fact]
    public void A_monitor_that_keeps_failing_must_be_restarted_after_a_doubling_back_off_and_its_streak_journaled_once()
    {
        var script = new ChannelScript();
        script.Give(new ConfigureChannel(script.Settings));
        var delays = new List<TimeSpan>();
        for (var failure = 1; failure <= 9; failure++)
        {
            script.Give(new MonitorStopped("yt-dlp is not installed"));
            var restart = script.Last.Effects.OfType<StartTimer>().Single(t => t.Key == "monitor-restart");
            Assert.IsType<MonitorRestartDue>(restart.Message);
            delays.Add(restart.Delay);
            Assert.Contains($"failed {failure} time", script.R.Problem);
            Assert.Contains("yt-dlp is not installed", script.R.Problem);
            script.Give(new MonitorRestartDue());
            Assert.Single(script.Last.Effects.OfType<StartMonitor>());
        }

        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300, 300], delays.Select(d => d.TotalSeconds));
        var failing = Assert.Single(script.Events<MonitorFailing>());
        Assert.Equal((3, "yt-dlp is not installed"), (failing.Failures, failing.Reason));

        // It works again: the streak is over, journaled once, and the next failure starts the back-off from the beginning.
        script.Give(new WentOffline("not live"));
        Assert.Single(script.Events<MonitorRecovered>());
        Assert.Null(script.R.Problem);
        script.Give(new MonitorStopped("again"));
        Assert.Equal(TimeSpan.FromSeconds(5), script.Last.Effects.OfType<StartTimer>().Single().Delay);
    }

    [Fact]
    public void A_monitor_that_failed_once_or_twice_must_journal_nothing()
    {
        var script = new ChannelScript();
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new MonitorStopped("a hiccup"));
        script.Give(new MonitorRestartDue());
        script.Give(new MonitorStopped("a hiccup"));
        script.Give(new MonitorRestartDue());
        script.Give(ChannelScript.Live());

        Assert.Empty(script.Events<MonitorFailing>());
        Assert.Empty(script.Events<MonitorRecovered>());
        Assert.Null(script.R.Problem);
        Assert.Equal(0, script.R.MonitorFailures);
    }
}
