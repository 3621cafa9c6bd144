using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

public sealed class PacingSpecs : BotApiTest
{
    [Fact(Timeout = 30_000)]
    public async Task Two_messages_to_one_chat_must_arrive_at_least_a_second_apart_without_delaying_another_chat()
    {
        var client = Client();
        await client.SendMessageAsync(-100, "first");

        var sameChat = client.SendMessageAsync(-100, "second");
        var otherChat = client.SendMessageAsync(-200, "other");
        await Task.WhenAll(sameChat, otherChat);

        var at = Fake.Received.ToDictionary(r => r.Text!, r => r.At);
        var sameGap = at["second"] - at["first"];
        var otherGap = at["other"] - at["first"];
        Assert.True(sameGap >= TimeSpan.FromSeconds(1), $"same chat: {sameGap.TotalMilliseconds:0} ms apart, want >= 1000");
        Assert.True(otherGap < TimeSpan.FromMilliseconds(900), $"other chat waited {otherGap.TotalMilliseconds:0} ms, want no pacing");
        Assert.True(at["other"] < at["second"], "the other chat must not queue behind the paced one");
    }
}
