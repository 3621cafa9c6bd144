using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary>
/// The speed limit on virtual time: bytes come only with the limiter's refills, and its refill timer fires only when the
/// spec advances the clock, so the virtual time an upload took is a lower bound no machine's speed can shorten. (The
/// spec advances in steps while the upload runs; advancing more often than needed only makes the figure larger.)
/// </summary>
public sealed class SpeedLimitSpecs : BotApiTest
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private const int Rate = 2 * 1024 * 1024;

    private readonly WatchedTime _time = new();

    protected override TimeProvider Time => _time;

    [Fact(Timeout = 60_000)]
    public async Task A_4_MB_upload_at_2_MB_per_second_must_take_about_2_seconds()
    {
        var (video, sha256) = RandomFile("a.mp4", 4 * 1024 * 1024);
        var client = Client(o => o with { SpeedLimit = Rate, MinTimeout = TimeSpan.FromHours(1) });

        var took = await VirtualDuration(client.SendVideoAsync(new SendVideo(-100, video)));

        // The bucket starts with one refill's worth (100 KiB), then gives 2 MiB a second.
        Assert.True(took >= TimeSpan.FromSeconds((4.0 * 1024 * 1024 - Rate / 20) / Rate), $"4 MiB at 2 MiB/s took {took.TotalMilliseconds:0} ms of virtual time");
        Assert.Equal(sha256, Assert.Single(Fake.Received).Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_speed_limit_must_be_shared_by_concurrent_uploads()
    {
        var (first, _) = RandomFile("a.mp4", 2 * 1024 * 1024);
        var (second, _) = RandomFile("b.mp4", 2 * 1024 * 1024);
        var client = Client(o => o with { SpeedLimit = Rate, MinTimeout = TimeSpan.FromHours(1) });

        var took = await VirtualDuration(Task.WhenAll(
            client.SendVideoAsync(new SendVideo(-100, first)),
            client.SendVideoAsync(new SendVideo(-200, second))));

        Assert.True(took >= TimeSpan.FromSeconds((4.0 * 1024 * 1024 - Rate / 20) / Rate), $"2 × 2 MiB at a shared 2 MiB/s took {took.TotalMilliseconds:0} ms of virtual time");
        Assert.Equal(2, Fake.Received.Count);
    }

    /// <summary>Advances the clock a step at a time until <paramref name="upload"/> ends; returns the virtual time it took.</summary>
    private async Task<TimeSpan> VirtualDuration(Task upload)
    {
        var start = _time.GetUtcNow();
        while (!upload.IsCompleted)
        {
            _time.Advance(Step);
            await Task.WhenAny(upload, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }
        await upload;
        return _time.GetUtcNow() - start;
    }
}
