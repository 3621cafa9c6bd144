using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary>Per-chat pacing on virtual time shared by the client and the fake: the paced message waits until the spec advances the clock.</summary>
public sealed class PacingSpecs : BotApiTest
{
    private readonly WatchedTime _time = new();

    protected override TimeProvider Time => _time;

    [Fact(Timeout = 30_000)]
    public async Task Two_messages_to_one_chat_must_arrive_MinInterval_apart_without_delaying_another_chat()
    {
        var client = Client();
        await client.SendMessageAsync(-100, "first");
        var paced = _time.NextTimer(ChatPacer.MinInterval);

        var sameChat = client.SendMessageAsync(-100, "second");
        var otherChat = client.SendMessageAsync(-200, "other");
        await otherChat; // no time passes: the other chat is not paced
        await paced;
        _time.Advance(ChatPacer.MinInterval - TimeSpan.FromTicks(1));
        Assert.False(sameChat.IsCompleted, "the second message to the chat went before its pace");
        Assert.Equal(["first", "other"], Fake.Received.Select(r => r.Text));
        _time.Advance(TimeSpan.FromTicks(1));
        await sameChat;

        var at = Fake.Received.ToDictionary(r => r.Text!, r => r.At);
        Assert.Equal(ChatPacer.MinInterval, at["second"] - at["first"]);
        Assert.Equal(at["first"], at["other"]);
    }
}
