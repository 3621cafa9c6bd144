using System.Diagnostics;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

public sealed class SpeedLimitSpecs : BotApiTest
{
    [Fact(Timeout = 30_000)]
    public async Task A_4_MB_upload_at_2_MB_per_second_must_take_at_least_about_2_seconds()
    {
        var (video, sha256) = RandomFile("a.mp4", 4 * 1024 * 1024);
        var client = Client(o => o with { SpeedLimit = 2 * 1024 * 1024 });

        var watch = Stopwatch.StartNew();
        await client.SendVideoAsync(new SendVideo(-100, video));
        watch.Stop();

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.8), $"4 MB at 2 MB/s took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(sha256, Assert.Single(Fake.Received).Sha256);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_speed_limit_must_be_shared_by_concurrent_uploads()
    {
        var (first, _) = RandomFile("a.mp4", 2 * 1024 * 1024);
        var (second, _) = RandomFile("b.mp4", 2 * 1024 * 1024);
        var client = Client(o => o with { SpeedLimit = 2 * 1024 * 1024 });

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(
            client.SendVideoAsync(new SendVideo(-100, first)),
            client.SendVideoAsync(new SendVideo(-200, second)));
        watch.Stop();

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.8), $"2 × 2 MB at a shared 2 MB/s took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(2, Fake.Received.Count);
    }
}
