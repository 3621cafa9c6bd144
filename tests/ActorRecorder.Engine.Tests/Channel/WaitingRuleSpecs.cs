using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>The decider's WAITING messages: one per announcement, handed to the session, expired on time, through restarts.</summary>
public sealed class WaitingRuleSpecs
{
    private static readonly DateTimeOffset StartsAt = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);

    private static ChannelSettings Telegram() => ChannelScript.DefaultSettings(targets: ["telegram"]) is var s
        ? s with { Delivery = s.Delivery with { Telegram = new TelegramTargetSettings("http://bot", SecretRef.TelegramBotToken, "-1001", 1 << 20, 1, 0, "{part}", false) { WaitingTimeout = TimeSpan.FromHours(2) } } }
        : throw new InvalidOperationException();

    private static IEnumerable<T> ToUploader<T>(ChannelScript script) => script.Last.Effects.OfType<ToUploader>().Select(u => u.Message).OfType<T>();

    [Fact]
    public void An_announcement_must_be_posted_once_even_when_reported_again_before_and_after_a_restart()
    {
        var script = new ChannelScript(Telegram());
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new BroadcastScheduled("Premiere", StartsAt));
        Assert.Equal("⏳ WAITING: Premiere (starts at 2026-12-01 18:00 UTC)", TelegramTarget.Text(Assert.Single(ToUploader<PostWaiting>(script)).Note));
        script.Give(new BroadcastScheduled("Premiere", StartsAt)); // reported again while the post is on its way
        Assert.Empty(ToUploader<PostWaiting>(script));
        script.Give(new WaitingPosted("41", "Premiere", StartsAt));
        Assert.Equal(new WaitingMessage("41", "Premiere", StartsAt, ChannelScript.Epoch), script.P.Waiting);
        Assert.Equal(TimeSpan.FromHours(2), script.Effect<StartTimer>().Delay);

        // A crash an hour later: the new incarnation posts nothing new and expires the message on the original schedule.
        var restarted = script.After(TimeSpan.FromHours(1)).Restart();
        restarted.Give(new ConfigureChannel(restarted.Settings));
        Assert.Equal(TimeSpan.FromHours(1), restarted.Last.Effects.OfType<StartTimer>().Single(t => t.Key == "waiting-expiry").Delay);
        restarted.Give(new BroadcastScheduled("Premiere", StartsAt));
        Assert.Empty(ToUploader<PostWaiting>(restarted));

        // A new start time: the same message, edited.
        restarted.Give(new BroadcastScheduled("Premiere", StartsAt.AddHours(1)));
        Assert.Equal(("41", "⏳ WAITING: Premiere (starts at 2026-12-01 19:00 UTC)"), ToUploader<EditStatus>(restarted).Select(e => (e.MessageId, TelegramTarget.Text(e.Note))).Single());
        Assert.Equal(ChannelScript.Epoch, restarted.P.Waiting!.PostedAt);
    }

    [Fact]
    public void The_session_must_take_the_waiting_message_over_as_its_live_message()
    {
        var script = new ChannelScript(Telegram());
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new BroadcastScheduled("Premiere", StartsAt));
        script.Give(new WaitingPosted("41", "Premiere", StartsAt));
        script.Give(ChannelScript.Live("Premiere"));

        var session = script.P.Current!;
        Assert.Equal("41", session.StatusMessageId);
        Assert.Null(script.P.Waiting);
        Assert.Empty(ToUploader<PostStatus>(script));
        Assert.Equal(("41", "🔴 LIVE: Premiere"), ToUploader<EditStatus>(script).Select(e => (e.MessageId, TelegramTarget.Text(e.Note))).Single());
        Assert.Contains(script.Last.Effects.OfType<CancelTimer>(), t => t.Key == "waiting-expiry");
        script.Give(new WaitingExpiryDue("41")); // a timer that fired anyway changes nothing
        Assert.Empty(script.Last.Events);
    }

    [Fact]
    public void A_broadcast_that_starts_while_the_waiting_message_is_being_posted_must_end_with_one_message()
    {
        var script = new ChannelScript(Telegram());
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new BroadcastScheduled("Premiere", StartsAt));
        script.Give(ChannelScript.Live("Premiere"));
        Assert.Empty(ToUploader<PostStatus>(script)); // the WAITING message on its way becomes the LIVE one

        script.Give(new WaitingPosted("41", "Premiere", StartsAt));
        Assert.Equal("41", script.P.Current!.StatusMessageId);
        Assert.Null(script.P.Waiting);
        Assert.Equal("🔴 LIVE: Premiere", TelegramTarget.Text(ToUploader<EditStatus>(script).Single().Note));
    }

    [Fact]
    public void A_waiting_message_that_could_not_be_posted_must_not_keep_the_session_from_posting_its_own()
    {
        var script = new ChannelScript(Telegram());
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new BroadcastScheduled("Premiere", StartsAt));
        script.Give(ChannelScript.Live("Premiere"));
        script.Give(new WaitingPosted(null, "Premiere", StartsAt));
        Assert.Equal("🔴 LIVE: Premiere", TelegramTarget.Text(ToUploader<PostStatus>(script).Single().Note));
    }

    [Fact]
    public void An_expired_message_must_be_deleted_and_its_announcement_never_posted_again_but_a_new_one_must()
    {
        var script = new ChannelScript(Telegram());
        script.Give(new ConfigureChannel(script.Settings));
        script.Give(new BroadcastScheduled("Premiere", StartsAt));
        script.Give(new WaitingPosted("41", "Premiere", StartsAt));
        script.After(TimeSpan.FromHours(2)).Give(new WaitingExpiryDue("41"));

        Assert.Equal("41", Assert.Single(script.Events<WaitingMessageExpired>()).MessageId);
        Assert.Equal("41", ToUploader<DeleteStatus>(script).Single().MessageId);
        Assert.Null(script.P.Waiting);
        var restarted = script.Restart();
        restarted.Give(new ConfigureChannel(restarted.Settings));
        restarted.Give(new BroadcastScheduled("Premiere", StartsAt));
        Assert.Empty(ToUploader<PostWaiting>(restarted));
        restarted.Give(new BroadcastScheduled("Premiere", StartsAt.AddDays(1)));
        Assert.Single(ToUploader<PostWaiting>(restarted));
    }

    [Fact]
    public void Without_a_telegram_target_or_while_paused_an_announcement_must_post_nothing()
    {
        var archive = new ChannelScript();
        archive.Give(new ConfigureChannel(archive.Settings));
        archive.Give(new BroadcastScheduled("Premiere", StartsAt));
        Assert.Empty(archive.Last.Effects.OfType<ToUploader>());

        var paused = new ChannelScript(Telegram());
        paused.Give(new ConfigureChannel(paused.Settings));
        paused.Give(new PauseChannel());
        paused.Give(new BroadcastScheduled("Premiere", StartsAt));
        Assert.Empty(paused.Last.Effects.OfType<ToUploader>());
    }

    [Fact]
    public void An_announcement_right_after_a_recorded_stream_must_count_as_not_live_and_get_its_message_when_the_session_ends()
    {
        var script = new ChannelScript(Telegram()).Recording();
        script.Give(new StatusPosted(script.P.Current!.Id, "40"));
        var session = script.P.Current!.Id;

        // The stream ends and the platform at once announces the next one: ffmpeg failing now is the end of the stream,
        // not a hiccup to retry.
        script.Give(new BroadcastScheduled("Next week", StartsAt));
        Assert.Empty(ToUploader<PostWaiting>(script)); // the session's LIVE message is still the channel's status
        script.Give(new Engine.Recording.RecordingStopped(script.R.Recorder!.Attempt, Engine.Recording.RecordingOutcome.Failed, "exit 1", 1));
        Assert.Null(script.R.Recorder);
        Assert.False(script.R.RetryPending, "an announced (not live) channel must not retry ffmpeg");
        Assert.Equal(ChannelMode.Grace, script.P.Mode);

        // The grace period runs out: the session ends, and the announcement made during it gets its WAITING message.
        script.After(TimeSpan.FromSeconds(10)).Give(new GraceExpired(session));
        Assert.Single(script.Events<SessionEnded>());
        Assert.Equal("⏳ WAITING: Next week (starts at 2026-12-01 18:00 UTC)", TelegramTarget.Text(Assert.Single(ToUploader<PostWaiting>(script)).Note));
    }

    [Fact]
    public void An_announcement_then_the_stream_again_must_resume_the_session_and_post_nothing()
    {
        var script = new ChannelScript(Telegram()).Recording();
        script.Give(new StatusPosted(script.P.Current!.Id, "40"));
        script.Give(new BroadcastScheduled("Next week", StartsAt));
        script.Give(new Engine.Recording.RecordingStopped(script.R.Recorder!.Attempt, Engine.Recording.RecordingOutcome.Ended, "the stream ended", 0));
        script.Give(ChannelScript.Live());
        Assert.Equal(ChannelMode.Recording, script.P.Mode);
        script.Give(new Engine.Recording.RecordingStopped(script.R.Recorder!.Attempt, Engine.Recording.RecordingOutcome.Ended, "the stream ended", 0));
        script.Give(new WentOffline("gone"));
        script.After(TimeSpan.FromSeconds(10)).Give(new GraceExpired(script.P.Current!.Id));
        Assert.Single(script.Events<SessionEnded>());
        Assert.Empty(ToUploader<PostWaiting>(script)); // the announcement was followed by the stream itself: nothing waits
    }
}
