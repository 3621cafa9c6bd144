using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>The decider's recording rules: sessions, attempts, grace, pause, the disk guard, shutdown.</summary>
public sealed class RecordingRuleSpecs
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_channel_must_wait_for_its_settings_before_anything_happens()
    {
        var script = new ChannelScript();
        script.Give(ChannelScript.Live());
        Assert.Empty(script.Journal);
        Assert.Equal(Lifecycle.AwaitingSettings, script.R.Lifecycle);

        script.Give(new ConfigureChannel(script.Settings));

        Assert.Equal(Lifecycle.Active, script.R.Lifecycle);
        Assert.Equal(script.Settings.Sources, script.Effect<StartMonitor>().Sources);
        Assert.Equal(script.Settings.Recording.DiskCheckInterval, script.Effect<WatchDisk>().Interval);
    }

    [Fact]
    public void The_same_settings_again_must_change_nothing()
    {
        var script = new ChannelScript().Recording();
        script.Give(new ConfigureChannel(script.Settings)); // the directory sends every channel its settings every minute

        Assert.Empty(script.Last.Events);
        Assert.Empty(script.Last.Effects);
    }

    [Fact]
    public void Going_live_must_persist_the_session_and_attempt_before_ffmpeg_starts()
    {
        var script = new ChannelScript();
        script.Give(new ConfigureChannel(script.Settings));

        var decision = script.Give(ChannelScript.Live("Evening stream"));

        var started = Assert.IsType<SessionStarted>(decision.Events[0]);
        Assert.Equal("20261130-200000-1", started.SessionId);
        Assert.Equal(Path.Combine("/rec", "demo", started.SessionId), started.Directory);
        Assert.Equal("Evening stream", started.Title);
        Assert.Equal(1, Assert.IsType<RecordingAttemptStarted>(decision.Events[1]).Attempt);
        var recorder = script.Effect<StartRecorder>();
        Assert.Equal("a001", recorder.Request.FilePrefix);
        Assert.Equal(started.Directory, recorder.Request.OutputDirectory);
        Assert.Equal(ChannelMode.Recording, script.P.Mode);
    }

    [Fact]
    public void A_drop_within_the_grace_period_must_continue_the_same_session_with_the_gap_recorded()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!.Id;
        script.After(10 * Second).Give(new RecordingStopped(1, RecordingOutcome.Ended, "ffmpeg finished", 0));
        Assert.Equal(ChannelMode.Grace, script.P.Mode);
        Assert.Equal(script.Settings.Recording.GracePeriod, script.Effect<StartTimer>().Delay);

        script.After(6 * Second).Give(ChannelScript.Live());

        Assert.Equal(session, Assert.Single(script.Last.Events.OfType<StreamResumed>()).SessionId);
        var gap = Assert.Single(script.Last.Events.OfType<RecordingGap>());
        Assert.Equal(6 * Second, gap.To - gap.From);
        Assert.Equal(2, script.Effect<StartRecorder>().Attempt);
        Assert.Equal("grace", script.Effect<CancelTimer>().Key);
        Assert.Single(script.Events<SessionStarted>());
    }

    [Fact]
    public void The_grace_period_running_out_must_end_the_session_and_hand_it_to_delivery()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!.Id;
        script.Give(new RecordingStopped(1, RecordingOutcome.Ended, "ffmpeg finished", 0));
        script.After(10 * Second).Give(new GraceExpired(session));

        Assert.Contains("grace period", Assert.Single(script.Last.Events.OfType<SessionEnded>()).Reason);
        Assert.Equal(session, script.Effect<PublishHandedOver>().Session.Id);
        Assert.Equal(session, Assert.IsType<Engine.Delivery.SplitSession>(script.Effect<ToSplitter>().Message).SessionId);
        Assert.Equal(ChannelMode.Offline, script.P.Mode);
    }

    [Fact]
    public void A_stale_grace_timer_must_not_end_a_resumed_session()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!.Id;
        script.Give(new RecordingStopped(1, RecordingOutcome.Ended, "ffmpeg finished", 0));
        script.Give(ChannelScript.Live());

        script.Give(new GraceExpired(session));

        Assert.Empty(script.Last.Events);
        Assert.Equal(ChannelMode.Recording, script.P.Mode);
    }

    [Fact]
    public void One_offline_answer_must_not_stop_a_recording_while_media_is_arriving()
    {
        var script = new ChannelScript().Recording();
        script.After(Second).Give(new RecordingProgress(1, TimeSpan.FromSeconds(5), 1000, 1.0));

        script.After(Second).Give(new WentOffline("HTTP 404 from the stream URL"));

        Assert.DoesNotContain(script.Last.Effects, e => e is StopRecorder);
        Assert.Contains(script.Last.Effects, e => e is Log { Message: var m } && m.Contains("recording goes on", StringComparison.Ordinal));
        Assert.Equal(ChannelMode.Recording, script.P.Mode);
    }

    [Fact]
    public void An_offline_answer_must_stop_a_recording_whose_media_stopped_moving()
    {
        var script = new ChannelScript().Recording();
        script.After(Second).Give(new RecordingProgress(1, TimeSpan.FromSeconds(5), 1000, 1.0));
        script.After(5 * Second).Give(new RecordingProgress(1, TimeSpan.FromSeconds(5), 1000, 0.0));

        script.Give(new WentOffline("HTTP 404 from the stream URL"));

        Assert.Contains("went offline", script.Effect<StopRecorder>().Reason);
        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));
        Assert.Contains("went offline", Assert.Single(script.Last.Events.OfType<StreamDropped>()).Reason);
    }

    [Fact]
    public void A_failed_ffmpeg_while_live_must_be_retried_with_back_off_inside_the_session()
    {
        var script = new ChannelScript().Recording();
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            script.Give(new RecordingStopped(attempt, RecordingOutcome.Failed, "exit 1", 1));
            var retry = script.Effect<StartTimer>();
            delays.Add(retry.Delay);
            script.After(retry.Delay).Give(retry.Message);
            Assert.Equal(attempt + 1, script.Effect<StartRecorder>().Attempt);
        }
        Assert.Equal([1 * Second, 2 * Second, 4 * Second, 8 * Second], delays);
        Assert.Single(script.Events<SessionStarted>());
        Assert.Empty(script.Events<StreamDropped>());
    }

    [Fact]
    public void An_ffmpeg_actor_that_dies_without_reporting_must_count_as_a_failed_attempt()
    {
        var script = new ChannelScript().Recording();
        script.Give(new RecorderTerminated(1));
        Assert.Equal("Failed", Assert.Single(script.Last.Events.OfType<RecordingAttemptEnded>()).Outcome);
        Assert.Equal("retry", script.Effect<StartTimer>().Key);
        script.Give(new RecorderTerminated(1));
        Assert.Empty(script.Last.Events); // the same death twice is one failure
    }

    [Fact]
    public void A_channel_removed_while_its_retry_waits_must_not_record_again()
    {
        var script = new ChannelScript(ChannelScript.DefaultSettings(targets: [])).Recording();
        var session = script.P.Current!.Id;
        script.Give(new RecordingStopped(1, RecordingOutcome.Failed, "exit 1", 1));
        var retry = script.Effect<StartTimer>();

        script.Give(new RetireChannel());
        Assert.Single(script.Last.Events.OfType<SessionEnded>());
        script.After(retry.Delay).Give(retry.Message);
        script.Give(ChannelScript.Live());

        Assert.DoesNotContain(script.Journal.Skip(script.Journal.FindIndex(e => e is SessionEnded)), e => e is SessionStarted or RecordingAttemptStarted);
        Assert.Equal(Lifecycle.Stopped, script.R.Lifecycle);
        Assert.Equal(session, Assert.Single(script.Events<SessionEnded>()).SessionId);
    }

    [Fact]
    public void A_channel_removed_then_added_again_while_its_shard_restarts_it_must_record_again()
    {
        var script = new ChannelScript().Recording();
        script.Give(new RecordingStopped(1, RecordingOutcome.Failed, "exit 1", 1));
        // The incarnation dies (a journal write failed); the shard restarts it after its back-off, and it is removed meanwhile.
        var restarted = script.Restart();
        restarted.Give(new RetireChannel());
        Assert.Equal(Lifecycle.Adopting, restarted.R.Lifecycle);
        restarted.Give(new AdoptionFinished(restarted.R.AdoptionToken, [], []));
        Assert.Single(restarted.Events<SessionEnded>());
        Assert.Equal(new StopChannel(Passivate: true), restarted.Effect<StopChannel>());

        // Added again: a fresh incarnation (started by the shard for the new message) gets its settings and records.
        var again = restarted.Restart();
        again.Give(new ConfigureChannel(again.Settings));
        again.Give(ChannelScript.Live());
        Assert.Equal(2, again.Events<SessionStarted>().Count());
        Assert.Equal(1, again.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void A_removed_channel_that_comes_back_before_it_stopped_must_go_on()
    {
        var script = new ChannelScript().Recording();
        script.Give(new RetireChannel());
        Assert.Contains("removed", script.Effect<StopRecorder>().Reason);

        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));

        Assert.False(script.R.Retiring);
        Assert.Equal(ChannelMode.Grace, script.P.Mode);
        Assert.Empty(script.Events<SessionEnded>());
    }

    [Fact]
    public void Pause_must_stop_the_recording_and_hold_new_sessions_until_resume()
    {
        var script = new ChannelScript().Recording();
        script.Give(new PauseChannel());
        Assert.Contains("paused", script.Effect<StopRecorder>().Reason);
        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));
        script.After(10 * Second).Give(new GraceExpired(script.P.Current!.Id));
        Assert.Equal(ChannelMode.Paused, script.P.Mode);

        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>());

        script.Give(new ResumeChannel());
        script.Effect<CheckLiveNow>();
        script.Give(ChannelScript.Live());
        Assert.Equal(2, script.Events<SessionStarted>().Count());
    }

    [Fact]
    public void Stop_must_end_the_session_once_ffmpeg_finished_its_file_and_hold_the_channel_until_start()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!.Id;
        script.Give(new StopRecordingCommand());
        Assert.Single(script.Last.Events.OfType<ChannelPaused>());
        Assert.Contains("stopped by a command", script.Effect<StopRecorder>().Reason);
        Assert.Empty(script.Events<SessionEnded>()); // not before ffmpeg has finished its file

        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));
        Assert.Equal(session, Assert.Single(script.Events<SessionEnded>()).SessionId); // at once: no grace period
        Assert.Equal(ChannelMode.Paused, script.P.Mode);
        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>());

        script.Give(new StartRecordingCommand());
        Assert.Single(script.Last.Events.OfType<ChannelResumed>());
        script.Effect<CheckLiveNow>();
        script.Give(ChannelScript.Live());
        Assert.Equal(2, script.Events<SessionStarted>().Count());
    }

    [Fact]
    public void Split_must_end_the_session_and_record_the_broadcast_on_in_a_new_one()
    {
        var script = new ChannelScript().Recording();
        var first = script.P.Current!.Id;
        script.Give(new SplitSessionCommand());
        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));
        Assert.Equal(first, Assert.Single(script.Events<SessionEnded>()).SessionId);
        Assert.Contains("split", script.Events<SessionEnded>().Single().Reason);
        script.Effect<CheckLiveNow>();
        Assert.False(script.P.Paused);

        script.After(Second).Give(ChannelScript.Live());
        Assert.NotEqual(first, script.Events<SessionStarted>().Last().SessionId);
        Assert.Equal(1, script.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void Split_or_stop_in_the_grace_period_must_end_the_session_at_once()
    {
        var script = new ChannelScript().Recording();
        script.Give(new RecordingStopped(1, RecordingOutcome.Ended, "the stream ended", 0));
        Assert.Equal(ChannelMode.Grace, script.P.Mode);
        script.Give(new SplitSessionCommand());
        Assert.Single(script.Events<SessionEnded>());
        Assert.Equal(ChannelMode.Offline, script.P.Mode);

        var stopped = new ChannelScript().Recording();
        stopped.Give(new RecordingStopped(1, RecordingOutcome.Ended, "the stream ended", 0));
        stopped.Give(new StopRecordingCommand());
        Assert.Single(stopped.Events<SessionEnded>());
        Assert.Equal(ChannelMode.Paused, stopped.P.Mode);
        Assert.DoesNotContain(stopped.Last.Effects, e => e is CheckLiveNow);
    }

    [Fact]
    public void Low_disk_must_stop_the_recording_and_space_coming_back_must_let_it_start_again()
    {
        var settings = ChannelScript.DefaultSettings(minFreeDisk: 1000);
        var script = new ChannelScript(settings).Recording();
        script.Give(new DiskMeasured(10));
        Assert.Equal(1000, Assert.Single(script.Last.Events.OfType<DiskSpaceLow>()).Threshold);
        Assert.Equal("disk space low", script.Effect<StopRecorder>().Reason);
        script.Give(new DiskMeasured(10));
        Assert.Empty(script.Last.Events);

        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "asked", 0));
        script.Give(ChannelScript.Live());
        Assert.DoesNotContain(script.Last.Effects, e => e is StartRecorder);

        script.Give(new DiskMeasured(5000));
        Assert.Single(script.Last.Events.OfType<DiskSpaceRecovered>());
        script.Give(ChannelScript.Live());
        Assert.Equal(2, script.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void A_stream_that_answers_before_the_disk_must_not_start_a_recording_until_the_disk_shows_room()
    {
        var script = new ChannelScript(ChannelScript.DefaultSettings(minFreeDisk: 1000));
        script.Give(new ConfigureChannel(script.Settings));

        script.Give(ChannelScript.Live()); // the monitor answered first
        Assert.DoesNotContain(script.Last.Effects, e => e is StartRecorder);
        Assert.Empty(script.Events<SessionStarted>());

        script.Give(new DiskMeasured(5000));
        Assert.Empty(script.Last.Events); // room: nothing to say about the disk...
        script.Effect<CheckLiveNow>(); // ...and the stream is asked again
        script.Give(ChannelScript.Live());
        Assert.Single(script.Events<SessionStarted>());
        Assert.Equal(1, script.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void A_full_disk_measured_after_the_stream_answered_must_hold_the_recording_without_starting_it()
    {
        var script = new ChannelScript(ChannelScript.DefaultSettings(minFreeDisk: 1000));
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(ChannelScript.Live());

        script.Give(new DiskMeasured(10));

        Assert.Single(script.Last.Events.OfType<DiskSpaceLow>());
        Assert.Empty(script.Events<SessionStarted>());
        Assert.DoesNotContain(script.Last.Effects, e => e is StartRecorder or CheckLiveNow);
    }

    [Fact]
    public void Shutdown_must_let_ffmpeg_finish_then_stop_with_the_session_still_open()
    {
        var script = new ChannelScript().Recording();
        script.Give(new ShutdownChannel());
        Assert.Equal("the node is shutting down", script.Effect<StopRecorder>().Reason);
        Assert.Equal(Lifecycle.ShuttingDown, script.R.Lifecycle);

        script.Give(new SegmentFinished(1, "/rec/demo/s/a001-00003.ts", Second, 100, Adopted: true));
        script.Give(new RecordingStopped(1, RecordingOutcome.Stopped, "the node is shutting down", 0));

        Assert.Equal(new StopChannel(Passivate: false), script.Effect<StopChannel>());
        Assert.NotNull(script.P.Current);
        Assert.Single(script.P.Current.Segments);
        Assert.Empty(script.Events<StreamDropped>());
    }

    [Fact]
    public void A_restart_while_recording_must_adopt_first_then_wait_out_the_grace_period_in_the_same_session()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!;
        var restarted = script.Restart();
        restarted.Give(new ConfigureChannel(restarted.Settings));
        var adopt = restarted.Effect<AdoptSegments>();
        Assert.Equal(session.Directory, adopt.Directory);

        restarted.Give(new AdoptionFinished(adopt.Token, [new SegmentFinished(1, session.Directory + "/a001-00000.ts", Second, 10, true)], []));

        Assert.Equal("Interrupted", Assert.Single(restarted.Last.Events.OfType<RecordingAttemptEnded>()).Outcome);
        Assert.True(Assert.Single(restarted.Last.Events.OfType<SegmentRecorded>()).Adopted);
        Assert.Contains("restarted", Assert.Single(restarted.Last.Events.OfType<StreamDropped>()).Reason);
        restarted.Effect<CheckLiveNow>();
        Assert.Empty(restarted.Last.Effects.OfType<StartRecorder>());
        restarted.Give(ChannelScript.Live());
        Assert.Equal(session.Id, Assert.Single(restarted.Last.Events.OfType<StreamResumed>()).SessionId);
        Assert.Equal(2, restarted.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void A_live_answer_that_came_while_the_segments_were_adopted_must_continue_the_session_as_soon_as_they_are()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!;
        var restarted = script.Restart(); // e.g. on another node, after its node died
        restarted.Give(new ConfigureChannel(restarted.Settings));
        var adopt = restarted.Effect<AdoptSegments>();
        restarted.Give(ChannelScript.Live());
        Assert.Empty(restarted.Last.Events); // nothing happens to the session before its files are known

        restarted.Give(new AdoptionFinished(adopt.Token, [new SegmentFinished(1, session.Directory + "/a001-00000.ts", Second, 10, true)], []));

        var events = restarted.Last.Events;
        Assert.Contains(events, e => e is StreamDropped);
        Assert.Equal(session.Id, Assert.Single(events.OfType<StreamResumed>()).SessionId);
        Assert.IsType<StreamResumed>(events.SkipWhile(e => e is not StreamDropped).Skip(1).First());
        Assert.Equal(2, restarted.Effect<StartRecorder>().Attempt);
    }

    [Fact]
    public void A_channel_restarted_while_live_must_record_again_before_its_adoption_finishes_and_deliver_only_after_it()
    {
        var script = new ChannelScript().Recording();
        var session = script.P.Current!;
        var restarted = script.Restart(); // on another node, after its node died
        restarted.Give(new ConfigureChannel(restarted.Settings));
        var adopt = restarted.Effect<AdoptSegments>();
        Assert.Equal(2, adopt.BelowAttempt); // the next attempt's files are not the adoption's
        restarted.Give(ChannelScript.Live());
        Assert.Empty(restarted.Last.Effects.OfType<StartRecorder>()); // a recorder of the last incarnation may still write here

        restarted.Give(new OrphansReaped(adopt.Token));

        var events = restarted.Last.Events;
        Assert.Equal("Interrupted", Assert.Single(events.OfType<RecordingAttemptEnded>()).Outcome);
        Assert.Empty(events.OfType<StreamDropped>()); // the stream did not drop: one gap in the same session
        Assert.Equal((session.Id, 2), (Assert.Single(events.OfType<RecordingAttemptStarted>()) is var started ? (started.SessionId, started.Attempt) : default));
        Assert.Equal(2, restarted.Effect<StartRecorder>().Attempt);
        Assert.Equal(Lifecycle.Active, restarted.R.Lifecycle);

        // The new attempt records and the broadcast ends before the probe answers: the session is not delivered yet.
        restarted.Give(new RecordingStarted(2, 4242));
        restarted.Give(new SegmentFinished(2, session.Directory + "/a002-00000.ts", Second, 10, false));
        restarted.Give(new RecordingStopped(2, RecordingOutcome.Ended, "end of stream", 0));
        restarted.After(restarted.Settings.Recording.GracePeriod).Give(new GraceExpired(session.Id));
        Assert.Single(restarted.Events<SessionEnded>());
        Assert.Empty(restarted.Last.Effects.OfType<ToSplitter>());

        restarted.Give(new AdoptionFinished(adopt.Token, [new SegmentFinished(1, session.Directory + "/a001-00007.ts", Second, 10, true)], []));

        Assert.True(Assert.Single(restarted.Last.Events.OfType<SegmentRecorded>()).Adopted);
        var split = Assert.IsType<SplitSession>(restarted.Effect<ToSplitter>().Message);
        Assert.Equal([session.Directory + "/a001-00007.ts", session.Directory + "/a002-00000.ts"], split.Segments); // in recording order
        Assert.Null(restarted.R.PendingAdoption);
    }

    [Fact]
    public void An_adoption_that_never_answers_must_not_freeze_the_channel()
    {
        var script = new ChannelScript().Recording();
        var restarted = script.Restart();
        restarted.Give(new ConfigureChannel(restarted.Settings));
        var token = restarted.Effect<AdoptSegments>().Token;
        Assert.Equal(ChannelDecider.AdoptionTimeout, restarted.Effect<StartTimer>().Delay);

        restarted.After(ChannelDecider.AdoptionTimeout).Give(new AdoptionTimedOut(token));

        Assert.Equal(Lifecycle.Active, restarted.R.Lifecycle);
        Assert.Contains(restarted.Last.Effects, e => e is Log { Message: var m } && m.Contains("did not finish", StringComparison.Ordinal));
        restarted.Give(new AdoptionFinished(token, [new SegmentFinished(1, "/late.ts", Second, 1, true)], []));
        Assert.Empty(restarted.Last.Events); // too late: dropped
        restarted.Give(ChannelScript.Live());
        Assert.Single(restarted.Last.Events.OfType<StreamResumed>());
    }

    [Fact]
    public void Replaying_the_journal_must_give_the_state_the_decisions_reached()
    {
        var script = new ChannelScript().Recording();
        script.Give(new SegmentFinished(1, "/rec/a001-00000.ts", 2 * Second, 100, false));
        script.Give(new RecordingStopped(1, RecordingOutcome.Ended, "end", 0));
        script.After(10 * Second).Give(new GraceExpired(script.P.Current!.Id));

        Assert.Equal(Json(script.P), Json(script.Restart().P));
    }

    internal static string Json(PersistedState state) =>
        System.Text.Encoding.UTF8.GetString(Engine.Serialization.RecorderMessages.Catalog.Serialize(state).Payload);

    [Fact]
    public void An_attempt_whose_narrow_probe_missed_a_stream_must_be_followed_by_widely_probed_ones()
    {
        var script = new ChannelScript();
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(ChannelScript.Live());
        Assert.False(script.Effect<StartRecorder>().Request.WideProbe);
        var first = script.R.Recorder!.Attempt;

        script.Give(new RecordingStopped(first, RecordingOutcome.Failed, "ffmpeg exited with code 1: sample rate not set", 1, ProbeTooNarrow: true));
        script.After(TimeSpan.FromSeconds(1)).Give(new RetryAttempt(script.P.Current!.Id));

        Assert.True(script.Effect<StartRecorder>().Request.WideProbe);
        script.Give(new RecordingStopped(script.R.Recorder!.Attempt, RecordingOutcome.Failed, "exit 1", 1));
        script.After(TimeSpan.FromSeconds(2)).Give(new RetryAttempt(script.P.Current!.Id));
        Assert.True(script.Effect<StartRecorder>().Request.WideProbe); // it stays wide for this channel
    }
}
