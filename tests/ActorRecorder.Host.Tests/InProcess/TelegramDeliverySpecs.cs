using System.Security.Cryptography;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Telegram.FakeServer;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>Delivery to Telegram, against the fake Bot API on loopback (the real protocol: multipart, JSON answers).</summary>
public sealed class TelegramDeliverySpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private const string Token = "123456:test-token";

    /// <summary>Parts of at most 300 KiB (below what a configuration allows, so a short broadcast gives several).</summary>
    private ChannelSettings ToTelegram(FakeBotApi fake) => Settings with
    {
        Delivery = new DeliverySettings(["telegram"], false, Path.Combine(Root, "archive"), 4L << 30, TimeSpan.FromSeconds(0.5), PartFormat.Mp4)
        {
            Telegram = new TelegramTargetSettings(fake.BaseUrl, Token, "-1001234567890", 300 * 1024, 2, 0, "{channel}: part {part}/{parts} ({duration})", false),
        },
    };

    [Fact(Timeout = 150_000)]
    public async Task Every_part_must_reach_the_chat_in_order_byte_identical_with_caption_duration_size_and_thumbnail()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        await StartNodeAsync(grace: "2s");
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

    [Fact(Timeout = 180_000)]
    public async Task A_forbidden_chat_must_fail_the_session_with_the_reason_keep_the_files_and_retry_once_the_config_changes()
    {
        await using var fake = await FakeBotApi.StartAsync(Token);
        fake.Enqueue("sendVideo", Fault.Forbidden("Forbidden: bot is not a member of the channel chat"));
        await StartNodeAsync(grace: "2s");
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

    [Fact(Timeout = 180_000)]
    public async Task A_part_refused_as_too_big_must_be_cut_smaller_and_sent_again()
    {
        await using var fake = await FakeBotApi.StartAsync(Token, maxUploadBytes: 200 * 1024);
        await StartNodeAsync(grace: "2s");
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
}
