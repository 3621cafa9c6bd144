using ActorRecorder.Telegram.FakeServer;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary>Comments: a channel post's automatic forward in the linked group, found in the updates; replies; copies; deletes.</summary>
public sealed class DiscussionSpecs : BotApiTest
{
    private const long Channel = -1001234567890;
    private const string Group = "-1005555555555";

    [Fact(Timeout = 30_000)]
    public async Task The_automatic_forward_of_a_post_must_be_found_in_the_updates_and_a_reply_to_it_must_be_a_comment()
    {
        Fake.LinkDiscussion(Channel.ToString(System.Globalization.CultureInfo.InvariantCulture), Group);
        var client = Client();
        var first = await client.SendMessageAsync(Channel, "post one");
        var second = await client.SendMessageAsync(Channel, "post two");

        // Two waiters at once share the polling (a second getUpdates would get 409); each finds its own post's forward.
        var found = await Task.WhenAll(
            client.FindAutomaticForwardAsync(Channel, second.MessageId, TimeSpan.FromSeconds(10)),
            client.FindAutomaticForwardAsync(Channel, first.MessageId, TimeSpan.FromSeconds(10)));

        var forwards = Fake.MessagesIn(Group);
        Assert.Equal([(Channel.ToString(System.Globalization.CultureInfo.InvariantCulture), first.MessageId), (Channel.ToString(System.Globalization.CultureInfo.InvariantCulture), second.MessageId)],
            forwards.Select(f => f.CopyOf!.Value));
        Assert.Equal([forwards[1].MessageId, forwards[0].MessageId], found.Select(f => f!.Value));

        var comment = await client.SendReplyAsync(ChatId.Parse(Group), "nice", found[1]!.Value);
        var sent = Fake.Received.Single(r => r.Method == "sendMessage" && r.ChatId == Group);
        Assert.Equal((Group, forwards[0].MessageId), sent.ReplyTo);
        Assert.Equal(sent.MessageId, comment.MessageId);
        Assert.DoesNotContain(Fake.Received, r => r.Method == "automaticForward" && r.ChatId != Group);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_post_whose_forward_never_comes_must_give_null_after_the_wait_and_a_cross_chat_reply_must_quote_it()
    {
        var client = Client();
        var post = await client.SendMessageAsync(Channel, "not linked");

        Assert.Null(await client.FindAutomaticForwardAsync(Channel, post.MessageId, TimeSpan.FromSeconds(2)));

        await client.SendReplyAsync(ChatId.Parse(Group), "quoted", post.MessageId, Channel);
        Assert.Equal((Channel.ToString(System.Globalization.CultureInfo.InvariantCulture), post.MessageId),
            Fake.Received.Single(r => r.Method == "sendMessage" && r.ChatId == Group).ReplyTo);
    }

    [Fact(Timeout = 30_000)]
    public async Task Messages_must_be_copied_in_order_and_deleted_and_bad_requests_refused_as_telegram_does()
    {
        var client = Client();
        var a = await client.SendMessageAsync(Channel, "a");
        var b = await client.SendMessageAsync(Channel, "b");

        var copies = await client.CopyMessagesAsync(-1009, Channel, [a.MessageId, b.MessageId]);
        Assert.Equal(["a", "b"], Fake.MessagesIn("-1009").Select(m => m.Text));
        Assert.Equal(Fake.MessagesIn("-1009").Select(m => m.MessageId), copies);

        var unordered = await Assert.ThrowsAsync<TelegramApiException>(() => client.CopyMessagesAsync(-1009, Channel, [b.MessageId, a.MessageId]));
        Assert.Equal(TelegramErrorKind.Fatal, unordered.Kind);
        var missing = await Assert.ThrowsAsync<TelegramApiException>(() => client.CopyMessagesAsync(-1009, Channel, [a.MessageId, 999]));
        Assert.Contains("message to copy not found", missing.Description);

        await client.DeleteMessageAsync(Channel, a.MessageId);
        Assert.Equal(["b"], Fake.MessagesIn(Channel.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(m => m.Text));
        var again = await Assert.ThrowsAsync<TelegramApiException>(() => client.DeleteMessageAsync(Channel, a.MessageId));
        Assert.Contains("message to delete not found", again.Description);
        await Assert.ThrowsAsync<TelegramApiException>(() => client.EditMessageTextAsync(Channel, a.MessageId, "edited"));
    }
}
