using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Recording;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>The decider's delivery rules: one request in flight, stale replies dropped, failures retried, clean-up never fatal.</summary>
public sealed class DeliveryRuleSpecs
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>A recorded, ended session with three segments, waiting for its split (answered by <paramref name="parts"/> parts).</summary>
    private static (ChannelScript Script, SplitSession Split) EndedSession(IReadOnlyList<string>? targets = null, bool deleteAfterUpload = false)
    {
        var script = new ChannelScript(ChannelScript.DefaultSettings(targets, deleteAfterUpload)).Recording();
        var session = script.P.Current!;
        for (var i = 0; i < 3; i++)
        {
            script.Give(new SegmentFinished(1, $"{session.Directory}/a001-0000{i}.ts", 2 * Second, 1000, false));
        }
        script.Give(new RecordingStopped(1, RecordingOutcome.Ended, "end", 0));
        script.After(10 * Second).Give(new GraceExpired(session.Id));
        return (script, (SplitSession)script.Effect<ToSplitter>().Message);
    }

    private static ImmutableList<PartInfo> Parts(int count) =>
        Enumerable.Range(1, count).Select(n => new PartInfo(n, $"/rec/demo/s/parts/part-{n:00}.mp4", 500, 2 * Second, 320, 180, null)).ToImmutableList();

    private static DeliverPart Split(ChannelScript script, SplitSession split, int parts)
    {
        script.Give(new SessionSplit(split.RequestId, split.Worker, split.SessionId, Parts(parts), []));
        return (DeliverPart)script.Effect<ToUploader>().Message;
    }

    [Fact]
    public void Parts_must_be_planned_once_and_go_to_every_target_in_order_one_at_a_time()
    {
        var (script, split) = EndedSession(targets: ["archive", "telegram"]);
        var request = Split(script, split, parts: 2);
        var sent = new List<(int, string)>();
        while (true)
        {
            sent.Add((request.Item.Part.Number, request.Target));
            script.Give(new PartDelivered(request.RequestId, request.Worker, split.SessionId, request.Item.Part.Number, request.Target, "loc"));
            if (script.Last.Effects.OfType<ToUploader>().Select(e => e.Message).OfType<DeliverPart>().SingleOrDefault() is not { } next)
            {
                break;
            }
            request = next;
        }
        Assert.Equal([(1, "archive"), (1, "telegram"), (2, "archive"), (2, "telegram")], sent);
        Assert.Single(script.Events<PartsPlanned>());
        Assert.Single(script.Events<SessionCompleted>());
        Assert.Empty(script.P.Processing);
    }

    [Fact]
    public void With_an_album_size_parts_must_go_as_albums_in_order_each_journaled_as_one_event_and_a_restart_resends_only_the_album_in_flight()
    {
        var (script, split) = EndedSession(targets: ["telegram"]);
        var settings = script.Settings with
        {
            Delivery = script.Settings.Delivery with
            {
                Telegram = new Engine.Settings.TelegramTargetSettings("http://127.0.0.1:1", Engine.Settings.SecretRef.TelegramBotToken, "-100", 50L << 20, 2, 0, "{part}", false) { AlbumSize = 3 },
            },
        };
        script.Give(new ConfigureChannel(settings));
        script.Give(new SessionSplit(split.RequestId, split.Worker, split.SessionId, Parts(5), []));
        var first = Assert.IsType<DeliverAlbum>(script.Effect<ToUploader>().Message);
        Assert.Equal([1, 2, 3], first.Items.Select(i => i.Part.Number));
        script.Give(new AlbumDelivered(first.RequestId, first.Worker, split.SessionId, [1, 2, 3], "telegram", ["-100/1", "-100/2", "-100/3"]));
        Assert.Equal([1, 2, 3], Assert.Single(script.Last.Events.OfType<AlbumUploaded>()).Parts);

        var second = Assert.IsType<DeliverAlbum>(script.Effect<ToUploader>().Message);
        Assert.Equal([4, 5], second.Items.Select(i => i.Part.Number));
        // The node dies with the second album in flight: the next incarnation sends that album again, never the first.
        var restarted = script.Restart();
        restarted.Give(new ConfigureChannel(settings));
        var again = Assert.IsType<DeliverAlbum>(restarted.Effect<ToUploader>().Message);
        Assert.Equal([4, 5], again.Items.Select(i => i.Part.Number));

        // Refused as too large: the part the uploader names is cut in two, then the album goes again with the halves.
        restarted.Give(new DeliveryFailed(again.RequestId, again.Worker, split.SessionId, 5, "telegram", "too big", Permanent: false, TooLarge: true));
        var recut = Assert.IsType<RecutPart>(restarted.Effect<ToSplitter>().Message);
        Assert.Equal(5, recut.Part.Number);
        restarted.Give(new PartRecut(recut.RequestId, recut.Worker, split.SessionId, 5, [Parts(6)[4], Parts(6)[5]]));
        var last = Assert.IsType<DeliverAlbum>(restarted.Effect<ToUploader>().Message);
        Assert.Equal([4, 5, 6], last.Items.Select(i => i.Part.Number));
        restarted.Give(new AlbumDelivered(last.RequestId, last.Worker, split.SessionId, [4, 5, 6], "telegram", ["-100/4", "-100/5", "-100/6"]));
        Assert.Single(restarted.Events<SessionCompleted>());
        Assert.Equal(2, restarted.Events<AlbumUploaded>().Count());
    }

    [Fact]
    public void A_reply_that_does_not_name_the_request_in_flight_must_be_dropped()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 2);

        script.Give(new PartDelivered(request.RequestId + 7, request.Worker, split.SessionId, 1, "archive", "late"));
        script.Give(new PartDelivered(request.RequestId, request.Worker - 1, split.SessionId, 1, "archive", "old worker"));
        script.Give(new SessionSplit(split.RequestId, split.Worker, split.SessionId, Parts(5), [])); // the split answered twice

        Assert.Empty(script.Events<PartUploaded>());
        Assert.Equal(2, Assert.Single(script.Events<PartsPlanned>()).Parts.Count);
        Assert.Equal(request.RequestId, script.R.Delivery.Outstanding?.Id);
    }

    [Fact]
    public void A_worker_that_stops_mid_request_must_be_replaced_and_its_late_answer_dropped()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 2);

        script.Give(new WorkerTerminated(request.Worker));
        Assert.Equal(request.Worker + 1, script.Effect<RetireWorkersBefore>().Worker);
        var retry = script.Effect<StartTimer>();
        script.Give(new PartDelivered(request.RequestId, request.Worker, split.SessionId, 1, "archive", "from the dead worker"));
        Assert.Empty(script.Events<PartUploaded>());

        script.After(retry.Delay).Give(retry.Message);
        var again = (DeliverPart)script.Effect<ToUploader>().Message;
        Assert.Equal(1, again.Item.Part.Number);
        Assert.Equal(request.Worker + 1, again.Worker);
        Assert.NotEqual(request.RequestId, again.RequestId);
        script.Give(new PartDelivered(again.RequestId, again.Worker, split.SessionId, 1, "archive", "ok"));
        Assert.Single(script.Events<PartUploaded>());
    }

    [Fact]
    public void A_worker_that_never_answers_must_time_out_and_delivery_must_resume()
    {
        var (script, split) = EndedSession();
        Assert.Equal(DeliveryDecider.SplitTimeout(3000), script.Last.Effects.OfType<StartTimer>().Single(t => t.Key == "work").Delay);
        script.Give(new WorkTimedOut(split.RequestId));
        var retry = script.Effect<StartTimer>();
        Assert.Equal("delivery-retry", retry.Key);

        script.After(retry.Delay).Give(retry.Message);

        var again = (SplitSession)script.Effect<ToSplitter>().Message;
        Assert.Equal(split.Worker + 1, again.Worker);
        script.Give(new SessionSplit(again.RequestId, again.Worker, again.SessionId, Parts(1), []));
        Assert.Single(script.Events<PartsPlanned>());
    }

    [Fact]
    public void A_cut_that_fails_for_a_passing_reason_must_be_tried_again_and_one_that_cannot_succeed_must_fail_the_session()
    {
        var (script, split) = EndedSession();
        script.Give(new SplitFailed(split.RequestId, split.Worker, split.SessionId, "No space left on device", Permanent: false));
        Assert.Empty(script.Events<SessionFailed>());
        var retry = script.Effect<StartTimer>();

        script.After(retry.Delay).Give(retry.Message);
        var again = (SplitSession)script.Effect<ToSplitter>().Message;
        script.Give(new SplitFailed(again.RequestId, again.Worker, again.SessionId, "Invalid data found when processing input", Permanent: true));

        Assert.Contains("Invalid data", Assert.Single(script.Events<SessionFailed>()).Reason);
    }

    [Fact]
    public void A_transient_failure_must_back_off_without_sending_in_between()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 1);
        script.Give(new DeliveryFailed(request.RequestId, request.Worker, split.SessionId, 1, "archive", "429", Permanent: false));
        Assert.Equal(2 * Second, script.Effect<StartTimer>().Delay);

        // Another session ends meanwhile: nothing is sent before the back-off is over.
        script.Give(new ConfigureChannel(script.Settings));
        Assert.DoesNotContain(script.Last.Effects, e => e is ToUploader or ToSplitter);

        script.Give(new DeliveryRetryDue());
        Assert.Equal(1, ((DeliverPart)script.Effect<ToUploader>().Message).Item.Part.Number);
    }

    [Fact]
    public void A_part_refused_as_too_big_must_be_cut_in_two_and_replanned()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 2);
        script.Give(new DeliveryFailed(request.RequestId, request.Worker, split.SessionId, 1, "archive", "413", Permanent: false, TooLarge: true));
        var recut = (RecutPart)script.Effect<ToSplitter>().Message;
        Assert.Equal(1, recut.Part.Number);

        script.Give(new PartRecut(recut.RequestId, recut.Worker, split.SessionId, 1, Parts(2)));

        var replanned = Assert.Single(script.Events<PartReplanned>());
        Assert.Equal(3, script.P.Processing[0].Parts!.Count);
        Assert.Equal([1, 2, 3], script.P.Processing[0].Parts!.Select(p => p.Number));
        Assert.Equal(2, replanned.Replacements.Count);
    }

    [Fact]
    public void A_permanent_refusal_must_fail_the_session_and_a_delivery_change_must_retry_it()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 1);
        script.Give(new DeliveryFailed(request.RequestId, request.Worker, split.SessionId, 1, "archive", "no permission", Permanent: true));
        Assert.Contains("no permission", Assert.Single(script.Events<SessionFailed>()).Reason);

        var fixedSettings = script.Settings with { Delivery = script.Settings.Delivery with { ArchivePath = "/elsewhere" } };
        script.Give(new ConfigureChannel(fixedSettings));

        Assert.Single(script.Events<SessionRetried>());
        var again = (DeliverPart)script.Effect<ToUploader>().Message;
        Assert.Equal(request.Worker + 1, again.Worker);
    }

    [Fact]
    public void Files_must_be_deleted_only_after_completion_and_a_failed_delete_must_be_retried_not_fatal()
    {
        var (script, split) = EndedSession(deleteAfterUpload: true);
        var request = Split(script, split, parts: 1);
        script.Give(new PartDelivered(request.RequestId, request.Worker, split.SessionId, 1, "archive", "loc"));
        Assert.True(Assert.Single(script.Events<SessionCompleted>()).DeleteLocalFiles);
        var delete = script.Effect<DeleteFiles>();
        Assert.Equal(4, delete.Files.Count); // three segments and the part

        script.Give(new CleanupFailed(split.SessionId, "Permission denied"));
        Assert.Empty(script.Last.Events);
        var retry = script.Effect<StartTimer>();

        var restarted = script.Restart(); // a crash in between: the clean-up is still owed
        restarted.Give(new ConfigureChannel(restarted.Settings));
        Assert.Equal(split.SessionId, restarted.Effect<DeleteFiles>().SessionId);

        script.After(retry.Delay).Give(retry.Message);
        script.Effect<DeleteFiles>();
        script.Give(new CleanupDone(split.SessionId, 4000));
        Assert.Equal(4000, Assert.Single(script.Events<LocalFilesDeleted>()).Bytes);
        Assert.Empty(script.P.Cleanups);
    }

    [Fact]
    public void A_restart_mid_delivery_must_send_only_the_parts_without_PartUploaded()
    {
        var (script, split) = EndedSession();
        var request = Split(script, split, parts: 3);
        script.Give(new PartDelivered(request.RequestId, request.Worker, split.SessionId, 1, "archive", "loc"));

        var restarted = script.Restart();
        restarted.Give(new ConfigureChannel(restarted.Settings));

        Assert.Equal(2, ((DeliverPart)restarted.Effect<ToUploader>().Message).Item.Part.Number);
        Assert.Equal(split.SessionId, restarted.Effect<PublishHandedOver>().Session.Id);
    }

    [Fact]
    public void The_status_message_must_be_posted_once_when_a_telegram_session_starts()
    {
        var settings = ChannelScript.DefaultSettings(targets: ["telegram"]) is var s
            ? s with { Delivery = s.Delivery with { Telegram = new Engine.Settings.TelegramTargetSettings("http://bot", Engine.Settings.SecretRef.TelegramBotToken, "-1001", 1 << 20, 1, 0, "{part}", false) } }
            : null!;
        var script = new ChannelScript(settings);
        script.Give(new ConfigureChannel(settings));
        script.Give(ChannelScript.Live("Title"));
        var post = (PostStatus)script.Effect<ToUploader>().Message;
        Assert.Equal("🔴 LIVE: Title", TelegramTarget.Text(post.Note));

        script.Give(new StatusPosted(post.SessionId, "77"));
        script.Give(new StatusPosted(post.SessionId, "78"));
        Assert.Equal("77", Assert.Single(script.Events<StatusMessagePosted>()).MessageId);
    }
}
