using Microsoft.Extensions.Time.Testing;

namespace ActorRecorder.Telegram.Tests;

public sealed class ChatPacerSpecs
{
    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_private_chat_must_be_spaced_one_second_and_not_limited_per_minute()
    {
        var clock = NewClock();
        var pacer = new ChatPacer(clock);

        Assert.Equal(TimeSpan.Zero, pacer.Reserve(42));
        Assert.Equal(ChatPacer.MinInterval, pacer.Reserve(42));
        Assert.Equal(ChatPacer.MinInterval * 2, pacer.Reserve(42));
        for (var i = 0; i < 30; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(TimeSpan.Zero, pacer.Reserve(42));
        }
    }

    [Fact]
    public void The_21st_message_to_a_group_in_a_minute_must_wait_for_the_first_to_leave_the_window()
    {
        var clock = NewClock();
        var start = clock.GetUtcNow();
        var pacer = new ChatPacer(clock);
        for (var i = 0; i < ChatPacer.GroupLimit; i++)
        {
            Assert.Equal(TimeSpan.Zero, pacer.Reserve(-100));
            clock.Advance(ChatPacer.MinInterval);
        }

        var wait = pacer.Reserve(-100);

        Assert.Equal(start + ChatPacer.GroupWindow, clock.GetUtcNow() + wait);
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(-200));
    }

    [Fact]
    public void The_next_message_must_wait_a_second_from_the_previous_answer_not_only_from_its_start()
    {
        var clock = NewClock();
        var pacer = new ChatPacer(clock);
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(42));
        clock.Advance(TimeSpan.FromSeconds(3));
        pacer.Completed(42);

        Assert.Equal(ChatPacer.MinInterval, pacer.Reserve(42));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(43));
    }

    [Fact]
    public void A_channel_username_must_count_as_a_group()
    {
        Assert.True(ChatId.Parse("@recordings").IsGroup);
        Assert.True(((ChatId)(-1001234567890)).IsGroup);
        Assert.False(((ChatId)42).IsGroup);
    }
}
