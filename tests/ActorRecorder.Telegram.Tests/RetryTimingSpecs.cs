using System.Threading.Channels;
using ActorRecorder.Telegram.FakeServer;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary>
/// How long the client waits before a retry, on virtual time shared by the client and the fake: the clock moves only
/// when the spec advances it, and only once the client waits, so a duration is exact and no load can shift it.
/// </summary>
public sealed class RetryTimingSpecs : BotApiTest
{
    private readonly WatchedTime _time = new();

    protected override TimeProvider Time => _time;

    [Fact(Timeout = 30_000)]
    public async Task A_429_must_be_retried_after_exactly_retry_after_seconds()
    {
        var (video, sha256) = RandomFile("a.mp4", 300_000);
        Fake.Enqueue("sendVideo", Fault.TooManyRequests(2));
        var client = Client();
        var notices = new List<TelegramRetryNotice>();
        var waits = WaitsOf(client, notices);

        var sending = client.SendVideoAsync(new SendVideo(-100, video));
        await await waits.ReadAsync();
        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.Single(Fake.Arrivals); // the wait has not ended: no second attempt can have been sent
        _time.Advance(TimeSpan.FromTicks(1));
        await sending;

        var arrivals = Fake.Arrivals;
        Assert.Equal(2, arrivals.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), arrivals[1].At - arrivals[0].At);
        var notice = Assert.Single(notices);
        Assert.Equal(TelegramErrorKind.RateLimited, notice.Error.Kind);
        Assert.Equal(1, notice.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(2), notice.Delay);
        Assert.Equal(sha256, Assert.Single(Fake.Received).Sha256);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stalled_request_must_hit_its_timeout_and_succeed_on_retry_after_the_back_off()
    {
        Fake.Enqueue("sendMessage", Fault.Stall(TimeSpan.FromMinutes(5)));
        var client = Client(o => o with { MinTimeout = TimeSpan.FromSeconds(1) });
        var notices = new List<TelegramRetryNotice>();
        var waits = WaitsOf(client, notices);
        var stalled = _time.NextTimer(TimeSpan.FromMinutes(5)); // the fake holds the request

        var sending = client.SendMessageAsync(7, "hello");
        await stalled;
        _time.Advance(TimeSpan.FromSeconds(1)); // the request's timeout
        await await waits.ReadAsync();
        // The retry waits its back-off (1 s), then the chat's pace: 1.05 s after the failed request was answered.
        var paced = _time.NextTimer(ChatPacer.MinInterval - TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await paced;
        _time.Advance(ChatPacer.MinInterval - TimeSpan.FromSeconds(1));
        await sending;

        var notice = Assert.Single(notices);
        Assert.Equal(TelegramErrorKind.Transient, notice.Error.Kind);
        Assert.Contains("no answer within 1 s", notice.Error.Description, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), notice.Delay);
        var arrivals = Fake.Arrivals;
        Assert.Equal(2, arrivals.Count);
        Assert.Equal(TimeSpan.FromSeconds(1) + ChatPacer.MinInterval, arrivals[1].At - arrivals[0].At);
        Assert.Single(Fake.Received);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transient_failures_must_back_off_doubling_from_the_initial_back_off()
    {
        for (var i = 0; i < 3; i++)
        {
            Fake.Enqueue("sendMessage", Fault.ServerError());
        }
        var client = Client(o => o with { InitialBackoff = TimeSpan.FromSeconds(2), MaxBackoff = TimeSpan.FromSeconds(5) });
        var notices = new List<TelegramRetryNotice>();
        var waits = WaitsOf(client, notices);

        var sending = client.SendMessageAsync(7, "hello");
        for (var retry = 0; retry < 3; retry++)
        {
            await await waits.ReadAsync();
            _time.Advance(notices[^1].Delay); // longer than the chat's pace: nothing else to wait for
        }
        await sending;

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], notices.Select(n => n.Delay));
        Assert.Single(Fake.Received);
    }

    /// <summary>
    /// Collects the client's retry notices; for each, the wait it announces (complete once the client has created it).
    /// The callback runs before the client waits, so the timer is watched for before it exists.
    /// </summary>
    private ChannelReader<Task> WaitsOf(TelegramBotClient client, List<TelegramRetryNotice> notices)
    {
        var waits = Channel.CreateUnbounded<Task>();
        client.Retrying += notice =>
        {
            notices.Add(notice);
            waits.Writer.TryWrite(_time.NextTimer(notice.Delay));
        };
        return waits.Reader;
    }
}
