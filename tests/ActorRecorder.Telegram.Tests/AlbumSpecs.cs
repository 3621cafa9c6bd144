using ActorRecorder.Telegram.FakeServer;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary><c>sendMediaGroup</c>: several videos as one album, in order, all or none.</summary>
public sealed class AlbumSpecs : BotApiTest
{
    [Fact(Timeout = 30_000)]
    public async Task An_album_must_deliver_every_video_in_order_as_one_group_with_the_caption_on_the_first()
    {
        var files = Enumerable.Range(1, 3).Select(i => RandomFile($"part-0{i}.mp4", 200_000 + i)).ToList();
        var (thumbnail, _) = RandomFile("thumb.jpg", 5_000);
        var client = Client();

        var messages = await client.SendVideoAlbumAsync(-1001234567890, files.Select((f, i) => new SendVideo(-1001234567890, f.Path)
        {
            Caption = i == 0 ? "channel · parts 1–3" : null,
            Duration = TimeSpan.FromSeconds(60 + i),
            Width = 1280,
            Height = 720,
            ThumbnailPath = i == 1 ? thumbnail : null,
        }).ToList());

        Assert.Equal([1L, 2L, 3L], messages.Select(m => m.MessageId));
        var received = Fake.Received.Where(r => r.Method == "sendMediaGroup").ToList();
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.MediaGroupId).Distinct());
        Assert.Equal(files.Select(f => f.Sha256), received.Select(r => r.Sha256));
        Assert.Equal(["channel · parts 1–3", null, null], received.Select(r => r.Caption));
        Assert.Equal([60, 61, 62], received.Select(r => r.Duration ?? 0));
        Assert.Equal([false, true, false], received.Select(r => r.HasThumbnail));
        Assert.All(messages, m => Assert.Equal(-1001234567890, m.ChatId));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_album_must_be_retried_whole_after_a_flood_wait_and_refused_whole_when_too_large()
    {
        var files = Enumerable.Range(1, 2).Select(i => RandomFile($"p{i}.mp4", 10_000)).ToList();
        var client = Client();
        var album = files.Select(f => new SendVideo(-100, f.Path)).ToList();
        Fake.Enqueue("sendMediaGroup", Fault.TooManyRequests(1));

        var messages = await client.SendVideoAlbumAsync(-100, album);
        Assert.Equal(2, messages.Count);
        Assert.Equal(2, Fake.Received.Count(r => r.Method == "sendMediaGroup")); // the refused attempt stored nothing

        Fake.Enqueue("sendMediaGroup", Fault.TooLarge());
        var refused = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendVideoAlbumAsync(-100, album));
        Assert.Equal(TelegramErrorKind.TooLarge, refused.Kind);
        Assert.Equal(2, Fake.Received.Count(r => r.Method == "sendMediaGroup"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendVideoAlbumAsync(-100, album.Take(1).ToList()));
        await Assert.ThrowsAsync<FileNotFoundException>(() => client.SendVideoAlbumAsync(-100, [album[0], new SendVideo(-100, "/nonexistent.mp4")]));
    }
}
