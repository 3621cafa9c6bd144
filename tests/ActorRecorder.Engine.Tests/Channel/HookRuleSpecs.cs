using System.Collections;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Hooks;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// Hooks in the decider: a milestone journals the hook it starts (with its facts) in the same decision, the exit is
/// journaled, and a restart runs an unfinished hook again once — at least once, at most twice.
/// </summary>
public sealed class HookRuleSpecs
{
    private static readonly HookSettings Hooks = new(["/hooks/segment.sh", "--fast"], ["/hooks/ended.sh"], [], [], TimeSpan.FromSeconds(30));

    private static ChannelScript Recording() =>
        new ChannelScript(ChannelScript.DefaultSettings() with { Hooks = Hooks }).Recording();

    [Fact]
    public void A_segment_must_journal_its_hook_with_the_facts_and_run_it()
    {
        var script = Recording();
        var session = script.P.Current!;
        script.Give(new SegmentFinished(1, "/rec/demo/a001-00000.ts", TimeSpan.FromSeconds(2), 1000, false));

        var started = Assert.Single(script.Events<HookStarted>());
        Assert.Equal((HookSettings.SegmentFinishedHook, session.Id, 1), (started.Hook, started.SessionId, started.Run));
        Assert.Equal("/rec/demo/a001-00000.ts", started.Environment["ACTORRECORDER_SEGMENT"]);
        Assert.Equal("[\"/rec/demo/a001-00000.ts\"]", started.Environment["ACTORRECORDER_FILES"]);
        Assert.Equal(("demo", session.Id, "Evening stream", session.Directory),
            (started.Environment["ACTORRECORDER_CHANNEL"], started.Environment["ACTORRECORDER_SESSION"], started.Environment["ACTORRECORDER_TITLE"],
                started.Environment["ACTORRECORDER_DIRECTORY"]));
        var run = script.Effect<RunHook>();
        Assert.Equal((started.HookId, TimeSpan.FromSeconds(30)), (run.HookId, run.Timeout));
        Assert.Equal(["/hooks/segment.sh", "--fast"], run.Command);
        Assert.Single(script.P.PendingHooks);

        script.Give(new HookExited(started.HookId, 1, "exited with 1"));
        var finished = Assert.Single(script.Events<HookFinished>());
        Assert.Equal((started.HookId, (int?)1, "exited with 1"), (finished.HookId, finished.ExitCode, finished.Outcome));
        Assert.Empty(script.P.PendingHooks);
        Assert.Contains(script.Last.Effects, e => e is Log { Message: var m } && m.Contains("exited with 1", StringComparison.Ordinal));
        script.Give(new HookExited(started.HookId, 0, "exited with 0"));
        Assert.Single(script.Events<HookFinished>()); // an answer twice is journaled once
    }

    [Fact]
    public void A_hook_unfinished_at_a_restart_must_run_again_once_and_then_be_given_up()
    {
        var script = Recording();
        script.Give(new StopRecordingCommand());
        script.Give(new RecordingStopped(script.R.Recorder!.Attempt, RecordingOutcome.Stopped, "stopped by a command", 0));
        var started = Assert.Single(script.Events<HookStarted>(), h => h.Hook == HookSettings.SessionEndedHook);
        Assert.Equal("stopped by a command", started.Environment["ACTORRECORDER_REASON"]);

        var again = script.Restart();
        again.Give(new ConfigureChannel(again.Settings));
        var rerun = again.Events<HookStarted>().Last();
        Assert.Equal((started.HookId, 2, started.Environment), (rerun.HookId, rerun.Run, rerun.Environment));
        Assert.Equal(started.HookId, again.Effect<RunHook>().HookId);

        var third = again.Restart();
        third.Give(new ConfigureChannel(third.Settings));
        Assert.DoesNotContain(third.Last.Effects, e => e is RunHook);
        var givenUp = third.Events<HookFinished>().Single();
        Assert.Null(givenUp.ExitCode);
        Assert.Equal("given up: the node stopped during its run and during its run again after a restart", givenUp.Outcome);
    }

    [Fact]
    public void Without_hooks_nothing_must_be_journaled()
    {
        var script = new ChannelScript().Recording();
        script.Give(new SegmentFinished(1, "/rec/demo/a001-00000.ts", TimeSpan.FromSeconds(2), 1000, false));
        Assert.Empty(script.Events<HookStarted>());
    }

    [Fact]
    public void A_hook_must_get_the_facts_and_none_of_the_node_s_secrets()
    {
        var node = new Hashtable
        {
            ["PATH"] = "/usr/bin", ["TELEGRAM_BOT_TOKEN"] = "123:abc", ["ACTORRECORDER_MANAGEMENT_TOKEN"] = "t0k3n", ["PGPASSWORD"] = "pw",
            ["https_proxy"] = "http://u:p@proxy:3128", ["DATABASE_URL"] = "postgres://app:pw@db/x", ["HOME"] = "/home/rec",
        };
        var environment = HookRunner.Environment(new Dictionary<string, string> { ["ACTORRECORDER_SESSION"] = "s1" }, node);
        Assert.Equal("s1", environment["ACTORRECORDER_SESSION"]);
        Assert.All(["TELEGRAM_BOT_TOKEN", "ACTORRECORDER_MANAGEMENT_TOKEN", "PGPASSWORD", "https_proxy", "DATABASE_URL"],
            name => Assert.Null(environment[name]));
        Assert.False(environment.ContainsKey("PATH")); // the rest of the node's environment is inherited as it is
    }
}
