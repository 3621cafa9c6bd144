using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

public sealed class SendVideoSpecs : BotApiTest
{
    [Fact(Timeout = 30_000)]
    public async Task SendVideo_must_deliver_the_file_byte_identical_with_every_field_and_the_thumbnail()
    {
        var (video, sha256) = RandomFile("part 01 – live.mp4", 3 * 1024 * 1024 + 17);
        var (thumbnail, _) = RandomFile("thumb.jpg", 9_000);
        var client = Client();

        var message = await client.SendVideoAsync(new SendVideo(-1001234567890, video)
        {
            Caption = "channel · title",
            Duration = TimeSpan.FromSeconds(3599.6),
            Width = 1920,
            Height = 1080,
            ThumbnailPath = thumbnail,
        });

        var received = Assert.Single(Fake.Received);
        Assert.Equal("sendVideo", received.Method);
        Assert.Equal("-1001234567890", received.ChatId);
        Assert.Equal("part 01 – live.mp4", received.FileName);
        Assert.Null(received.LocalPath);
        Assert.Equal(3 * 1024 * 1024 + 17, received.Size);
        Assert.Equal(sha256, received.Sha256);
        Assert.Equal("channel · title", received.Caption);
        Assert.Equal(3600, received.Duration);
        Assert.Equal(1920, received.Width);
        Assert.Equal(1080, received.Height);
        Assert.True(received.SupportsStreaming);
        Assert.True(received.HasThumbnail);
        Assert.Equal(9_000, received.ThumbnailSize);
        Assert.StartsWith("attach://", received.Fields["thumbnail"]); // the thumbnail is a file part the field refers to (the fake follows the reference)

        Assert.Equal(1, message.MessageId);
        Assert.Equal(-1001234567890, message.ChatId);
        Assert.Equal(3 * 1024 * 1024 + 17, message.Video?.FileSize);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_must_number_messages_per_chat_from_one()
    {
        var (video, _) = RandomFile("a.mp4", 1000);
        var client = Client();

        var first = await client.SendVideoAsync(new SendVideo(-100, video));
        var other = await client.SendVideoAsync(new SendVideo(-200, video));
        var second = await client.SendVideoAsync(new SendVideo(-100, video));

        Assert.Equal([1L, 1L, 2L], [first.MessageId, other.MessageId, second.MessageId]);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_must_cut_the_caption_to_1024_characters_without_splitting_a_surrogate_pair()
    {
        var (video, _) = RandomFile("a.mp4", 1000);
        var caption = new string('x', 1023) + "😀 and more";
        var client = Client();

        await client.SendVideoAsync(new SendVideo(-100, video) { Caption = caption });

        var received = Assert.Single(Fake.Received);
        Assert.Equal(new string('x', 1023), received.Caption);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_in_local_mode_must_send_a_file_url_instead_of_the_bytes()
    {
        var (video, sha256) = RandomFile("local.mp4", 200_000);
        var client = Client(o => o with { LocalMode = true });

        await client.SendVideoAsync(new SendVideo(-100, video) { Caption = "local" });

        var received = Assert.Single(Fake.Received);
        Assert.Equal("file://" + Path.GetFullPath(video), received.Fields["video"]);
        Assert.Equal(Path.GetFullPath(video), received.LocalPath);
        Assert.Equal(sha256, received.Sha256);
        Assert.Equal(200_000, received.Size);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_must_reject_a_missing_file_before_calling_the_api()
    {
        var client = Client();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => client.SendVideoAsync(new SendVideo(-100, Path.Combine(Directory, "gone.mp4"))));

        Assert.Contains("gone.mp4", error.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Arrivals);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendMessage_then_EditMessageText_must_change_the_stored_text()
    {
        var client = Client();

        var sent = await client.SendMessageAsync(42, "uploading part 1/3");
        var edited = await client.EditMessageTextAsync(42, sent.MessageId, "uploaded 3/3");

        Assert.Equal(sent.MessageId, edited.MessageId);
        Assert.Equal("uploaded 3/3", edited.Text);
        Assert.Equal(["sendMessage", "editMessageText"], Fake.Received.Select(r => r.Method));
        Assert.Equal("uploaded 3/3", Fake.Received[1].Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task EditMessageText_of_an_unknown_message_must_fail_as_fatal()
    {
        var client = Client();

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.EditMessageTextAsync(42, 77, "x"));

        Assert.Equal(TelegramErrorKind.Fatal, error.Kind);
        Assert.Equal("Bad Request: message to edit not found", error.Description);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetMe_must_return_the_bot()
    {
        var me = await Client().GetMeAsync();

        Assert.Equal(123456789, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("fake_recorder_bot", me.Username);
    }
}
