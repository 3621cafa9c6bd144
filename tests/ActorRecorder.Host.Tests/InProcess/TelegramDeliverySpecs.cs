using System.Security.Cryptography;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Telegram.FakeServer;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>Delivery to Telegram, against the fake Bot API on loopback (the real protocol: multipart, JSON answers).</summary>
public sealed class TelegramDeliverySpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private const string Token = "123456:test-token";

    /// <summary>The node's own bot token: the channel's settings only name it.</summary>
    private const string TokenSetting = $"upload.telegram.bot-token = \"{Token}\"";

    /// <summary>Parts of at most 300 KiB (below what a configuration allows, so a short broadcast gives several).</summary>
    private ChannelSettings ToTelegram(FakeBotApi fake) => Settings with
    {
        Delivery = new DeliverySettings(["telegram"], false, Path.Combine(Root, "archive"), 4L << 30, TimeSpan.FromSeconds(0.5), PartFormat.Mp4)
        {
            Telegram = new TelegramTargetSettings(fake.BaseUrl, SecretRef.TelegramBotToken, "-1001234567890", 300 * 1024, 2, 0, "{channel}: part {part}/{parts} ({duration})", false),
        },
    };

    [Fact(Timeout = 150_000)]
    public async Task Every_part_must_reach_the_chat_in_order_byte_identical_with_caption_duration_size_and_thumbnail()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        await Configure(ToTelegram(fake));
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));

        var videos = fake.Received.Where(r => r.Method == "sendVideo").ToList();
        Assert.Equal(planned.Parts.Count, videos.Count);
        foreach (var (part, video) in planned.Parts.Zip(videos))
        {
            Assert.Equal("-1001234567890", video.ChatId);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(part.Path))), video.Sha256, ignoreCase: true);
            Assert.Equal($"demo: part {part.Number}/{planned.Parts.Count} ({part.Duration:m\\:ss})", video.Caption);
            Assert.Equal(320, video.Width);
            Assert.True(video.SupportsStreaming);
            Assert.True(video.HasThumbnail);
            Assert.InRange(video.ThumbnailSize, 1, 200 * 1024 - 1);
            Assert.True(video.Size <= 300 * 1024);
        }

        var status = Assert.Single(fake.Received, r => r.Method == "sendMessage");
        Assert.Equal("🔴 LIVE: demo", status.Text);
        Assert.True(status.At < videos[0].At, "the status message is posted when the channel goes live");
        await fake.WaitForAsync(r => r.Method == "editMessageText", Patience);
        var edit = fake.Received.Single(r => r.Method == "editMessageText");
        Assert.Equal(status.MessageId, edit.MessageId);
        Assert.Contains($"{planned.Parts.Count} part(s), delivered", edit.Text);
        Assert.Contains($"https://t.me/c/1234567890/{videos[0].MessageId}", edit.Text);
    }

    [Fact(Timeout = 150_000)]
    public async Task With_album_size_two_parts_must_go_as_albums_in_order_with_the_caption_on_each_albums_first_video_and_be_copied_to_the_backup_chat()
    {
        const string Backup = "-1009876543210";
        await using var fake = await FakeBotApi.StartAsync(Token);
        fake.Enqueue("sendMediaGroup", Fault.TooManyRequests(1)); // a flood wait on the first album: it is sent again whole
        fake.Enqueue("copyMessages", Fault.TooManyRequests(1)); // and on the first copy
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        var settings = ToTelegram(fake);
        // Parts of at most 100 KiB: about one segment each, so the broadcast gives albums and a part left alone.
        var telegram = settings.Delivery.Telegram! with { AlbumSize = 2, MaxPartBytes = 100 * 1024, BackupChatId = Backup };
        await Configure(settings with { Delivery = settings.Delivery with { Telegram = telegram } });
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        Assert.True(planned.Parts.Count >= 3, $"{planned.Parts.Count} parts: too few to show albums");
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));

        var items = fake.Received.Where(r => r.Method is "sendMediaGroup" or "sendVideo").ToList();
        Assert.Equal(planned.Parts.Count, items.Count); // every part once: the refused attempt stored nothing
        Assert.Equal(planned.Parts.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p.Path)))), items.Select(i => i.Sha256),
            StringComparer.OrdinalIgnoreCase);
        var albums = items.Chunk(2).ToList();
        foreach (var album in albums.Where(a => a.Length == 2))
        {
            Assert.All(album, i => Assert.Equal("sendMediaGroup", i.Method));
            Assert.Equal(album[0].MediaGroupId, album[1].MediaGroupId);
            Assert.StartsWith("demo: part ", album[0].Caption);
            Assert.Null(album[1].Caption);
        }
        if (planned.Parts.Count % 2 == 1)
        {
            Assert.Equal("sendVideo", items[^1].Method); // a last part alone goes as one video
        }
        var journal = await JournalAsync();
        var albumEvents = journal.OfType<AlbumUploaded>().Where(a => a.Target == "telegram").ToList();
        Assert.Equal(planned.Parts.Count / 2, albumEvents.Count);
        Assert.All(albumEvents, a => Assert.Equal(2, a.Locations.Count));

        // The backup chat has a copy of every message, in order, each album still one album; the copies are journaled.
        var copies = fake.MessagesIn(Backup);
        Assert.Equal(items.Select(i => (i.Sha256, i.Caption)), copies.Select(c => (c.Sha256, c.Caption)));
        Assert.Equal(items.Select(i => i.MessageId), copies.Select(c => c.CopyOf!.Value.Id));
        foreach (var pair in copies.Chunk(2).Where(a => a.Length == 2))
        {
            Assert.NotNull(pair[0].MediaGroupId);
            Assert.Equal(pair[0].MediaGroupId, pair[1].MediaGroupId);
            Assert.DoesNotContain(items, i => i.MediaGroupId == pair[0].MediaGroupId); // a new album, not the original's
        }
        var backedUp = journal.OfType<AlbumUploaded>().Where(a => a.Target == TelegramTarget.BackupName)
            .SelectMany(a => a.Parts.Zip(a.Locations, (part, location) => (Part: part, Location: location))).ToList();
        Assert.Equal(planned.Parts.Select(p => p.Number), backedUp.Select(b => b.Part));
        Assert.Equal(copies.Select(c => $"{Backup}/{c.MessageId}"), backedUp.Select(b => b.Location));
    }

    [Fact(Timeout = 150_000)]
    public async Task An_announced_broadcast_must_get_one_status_message_that_says_WAITING_then_LIVE_then_delivered()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s", extra: TokenSetting, customize: AnnouncingResolver.Installed("Christmas special", new DateTimeOffset(2026, 12, 24, 18, 0, 0, TimeSpan.Zero)));
        await Configure(ToTelegram(fake));
        var waiting = await Next<WaitingMessagePosted>();
        var posted = Assert.Single(fake.Received, r => r.Method == "sendMessage");
        Assert.Equal("⏳ WAITING: Christmas special (starts at 2026-12-24 18:00 UTC)", posted.Text);
        Assert.Equal(posted.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), waiting.MessageId);

        var started = await RecordABroadcast();
        await fake.WaitForAsync(r => r.Method == "editMessageText" && r.Text == "🔴 LIVE: demo", Patience);
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        Assert.Equal(waiting.MessageId, (await JournalAsync()).OfType<StatusMessagePosted>().Single(s => s.SessionId == started.SessionId).MessageId);
        var done = await fake.WaitForAsync(r => r.Method == "editMessageText" && r.Text!.StartsWith("✅", StringComparison.Ordinal), Patience);
        Assert.Equal(posted.MessageId, done.MessageId);
        Assert.Equal([posted.MessageId], fake.Received.Where(r => r.Method.StartsWith("edit", StringComparison.Ordinal)).Select(r => r.MessageId).Distinct());
        Assert.Single(fake.Received, r => r.Method == "sendMessage"); // one message from WAITING to delivered
    }

    [Fact(Timeout = 120_000)]
    public async Task A_WAITING_message_whose_broadcast_does_not_start_within_the_waiting_timeout_must_be_deleted_once()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        AnnouncingResolver? platform = null;
        await StartNodeAsync(grace: "2s", extra: TokenSetting, customize: AnnouncingResolver.Installed("Never", new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero), r => platform = r));
        var settings = ToTelegram(fake);
        await Configure(settings with { Delivery = settings.Delivery with { Telegram = settings.Delivery.Telegram! with { WaitingTimeout = TimeSpan.FromSeconds(3) } } });
        var waiting = await Next<WaitingMessagePosted>();
        var expired = await Next<WaitingMessageExpired>();
        Assert.Equal(waiting.MessageId, expired.MessageId);
        Assert.True(expired.At - waiting.At >= TimeSpan.FromSeconds(3), $"expired {(expired.At - waiting.At).TotalSeconds:0.0} s after it was posted, before its timeout");
        var deleted = await fake.WaitForAsync(r => r.Method == "deleteMessage", Patience);
        Assert.Equal(waiting.MessageId, deleted.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(fake.MessagesIn("-1001234567890"));

        // The platform still announces it (a new poll interval starts a new monitor, which reports it again): the expired
        // announcement gets no second message.
        await Configure(settings with
        {
            Recording = settings.Recording with { PollInterval = TimeSpan.FromSeconds(2) },
            Delivery = settings.Delivery with { Telegram = settings.Delivery.Telegram! with { WaitingTimeout = TimeSpan.FromSeconds(3) } },
        });
        // The new monitor reports the announcement with its first check; by its second, the channel has long heard it,
        // and a status asked after that is answered after the channel decided on it.
        await platform!.AnnouncedAgain(3).WaitAsync(Patience); // (the first may be the old monitor's last)
        await StatusAsync();
        Assert.Single(fake.Received, r => r.Method == "sendMessage");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_forbidden_chat_must_fail_the_session_with_the_reason_keep_the_files_and_retry_once_the_config_changes()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        fake.Enqueue("sendVideo", Fault.Forbidden("Forbidden: bot is not a member of the channel chat"));
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        var settings = ToTelegram(fake);
        await Configure(settings);
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        var failed = await Next<SessionFailed>(f => f.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        Assert.Contains("bot is not a member of the channel chat", failed.Reason);
        Assert.All(planned.Parts, p => Assert.True(File.Exists(p.Path)));
        Assert.DoesNotContain(fake.Received, r => r.Method == "sendVideo");

        // The user fixes the configuration (here: the bot was made admin and the caption changed): the session retries.
        var telegram = settings.Delivery.Telegram! with { CaptionTemplate = "{channel} {part}/{parts}" };
        await Configure(settings with { Delivery = settings.Delivery with { Telegram = telegram } });
        await Next<SessionRetried>(r => r.SessionId == started.SessionId);
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        Assert.Equal(planned.Parts.Count, fake.Received.Count(r => r.Method == "sendVideo"));
    }

    /// <summary>
    /// The channel's settings name the bot token; the node resolves it from its own configuration. A node whose
    /// configuration does not set it holds the delivery (nothing reaches the chat, the parts stay) and delivers once its
    /// file sets it: the reload gives the node the token, the next retry uses it.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task A_node_whose_configuration_sets_no_bot_token_must_hold_delivery_until_it_does()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s");
        await Configure(ToTelegram(fake));
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        // Delivery starts as soon as the parts are planned (a part reaches the fake within a second when a token is set);
        // 5 s is the margin that shows it is held, not merely late, on a loaded machine.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Empty(fake.Received);
        Assert.All(planned.Parts, p => Assert.True(File.Exists(p.Path)));

        var config = Path.Combine(Root, "node.conf");
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, text.Replace("  channels = [", $"  {TokenSetting}\n  channels = [", StringComparison.Ordinal));

        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(120));
        Assert.Equal(planned.Parts.Count, fake.Received.Count(r => r.Method == "sendVideo"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_part_refused_as_too_big_must_be_cut_smaller_and_sent_again()
    {
        await using var fake = await FakeBotApi.StartAsync(Token, maxUploadBytes: 200 * 1024);
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        await Configure(ToTelegram(fake));
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        var replanned = await Next<PartReplanned>(r => r.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        Assert.Equal(2, replanned.Replacements.Count);
        Assert.All(replanned.Replacements, p => Assert.True(p.Bytes < planned.Parts.Single(q => q.Number == replanned.Part).Bytes));
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(120));

        var videos = fake.Received.Where(r => r.Method == "sendVideo").ToList();
        Assert.All(videos, v => Assert.True(v.Size <= 200 * 1024, $"{v.Size} bytes"));
        Assert.True(videos.Count > planned.Parts.Count, $"{videos.Count} videos for {planned.Parts.Count} planned parts");
        var captions = videos.Select(v => v.Caption!).ToList();
        Assert.Equal(Enumerable.Range(1, videos.Count).Select(i => $"demo: part {i}/"), captions.Select(c => c[..c.IndexOf('/', StringComparison.Ordinal)] + "/"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_compressed_copy_must_fit_its_target_size_and_reach_telegram_and_the_archive_after_the_parts()
    {
        const long Target = 200 * 1024;
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        var settings = ToTelegram(fake);
        await Configure(settings with { Delivery = settings.Delivery with { Compress = new CompressSettings(Target, ["telegram", "archive"]) } });
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        var made = await Next<CompressedCopyMade>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(120));
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));

        // The copy: one H.264 file within the size, as long as the parts together, made after they were delivered.
        Assert.InRange(made.Copy.Bytes, 1, Target);
        var probe = await new Media.Probing.Ffprobe().ProbeAsync(made.Copy.Path, TimeSpan.FromSeconds(20));
        Assert.Equal("h264", probe.Video!.CodecName);
        var length = planned.Parts.Sum(p => p.Duration.TotalSeconds);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, length - 1, length + 1);
        var videos = fake.Received.Where(r => r.Method == "sendVideo").ToList();
        Assert.Equal(planned.Parts.Count + 1, videos.Count);
        var copy = videos[^1];
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(made.Copy.Path))), copy.Sha256, ignoreCase: true);
        Assert.StartsWith("demo: part compressed/", copy.Caption);
        var journal = await JournalAsync();
        Assert.Equal(["telegram", "archive"], journal.OfType<PartUploaded>().Where(u => u.SessionId == started.SessionId && u.Part == 0).Select(u => u.Target));
        Assert.Single(Directory.EnumerateFiles(ArchivePath, "compressed.mp4", SearchOption.AllDirectories));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_session_too_long_for_the_compressed_copys_size_must_be_delivered_without_one_saying_why()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        var settings = ToTelegram(fake);
        await Configure(settings with { Delivery = settings.Delivery with { Compress = new CompressSettings(40 * 1024, ["telegram"]) } });
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        var skipped = await Next<CompressionSkipped>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(120));
        Assert.Contains("do not fit", skipped.Reason);
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        Assert.Equal(planned.Parts.Count, fake.Received.Count(r => r.Method == "sendVideo"));
    }

    [Fact(Timeout = 150_000)]
    public async Task A_delivered_session_must_get_its_summary_as_a_comment_under_its_first_post_in_the_linked_discussion_group()
    {
        const string Channel = "-1001234567890";
        const string Group = "-1005555555555";
        await using var fake = await FakeBotApi.StartAsync(Token);
        fake.LinkDiscussion(Channel, Group);
        fake.Enqueue("getUpdates", Fault.TooManyRequests(1)); // a flood wait while looking for the forward
        await StartNodeAsync(grace: "2s", extra: TokenSetting);
        var settings = ToTelegram(fake);
        var telegram = settings.Delivery.Telegram! with { DiscussionChatId = Group, DiscussionTemplate = "{channel}: {parts} part(s), {duration}\n{link}" };
        await Configure(settings with { Delivery = settings.Delivery with { Telegram = telegram } });
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        var posted = await Next<DiscussionCommentPosted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(30));

        var firstPart = fake.Received.First(r => r.Method == "sendVideo");
        var forward = fake.MessagesIn(Group).Single(m => m.CopyOf == (Channel, firstPart.MessageId));
        var comment = fake.Received.Single(r => r.Method == "sendMessage" && r.ChatId == Group);
        Assert.Equal((Group, forward.MessageId), comment.ReplyTo); // a reply to the forward: a comment under the post
        var duration = TimeSpan.FromSeconds(Math.Round(planned.Parts.Sum(p => p.Duration.TotalSeconds)));
        Assert.Equal($"demo: {planned.Parts.Count} part(s), {duration:m\\:ss}\nhttps://t.me/c/1234567890/{firstPart.MessageId}", comment.Text);
        Assert.Equal($"{Group}/{comment.MessageId}", posted.Location);
        Assert.True(comment.At > fake.Received.Last(r => r.Method == "sendVideo").At, "the comment comes after the last part");
    }
}
