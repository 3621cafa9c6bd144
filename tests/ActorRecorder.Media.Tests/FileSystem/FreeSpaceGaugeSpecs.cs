using ActorRecorder.Media.FileSystem;
using Microsoft.Extensions.Time.Testing;

namespace ActorRecorder.Media.Tests.FileSystem;

public sealed class FreeSpaceGaugeSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task One_measurement_must_answer_every_channel_of_a_folder_off_the_thread_pool_until_it_is_a_second_old()
    {
        var time = new FakeTimeProvider();
        var calls = new List<(string Folder, bool ThreadPool)>();
        using var release = new ManualResetEventSlim();
        var gauge = new FreeSpaceGauge(folder =>
        {
            lock (calls)
            {
                calls.Add((folder, Thread.CurrentThread.IsThreadPoolThread));
            }
            release.Wait(); // a slow file system: the callers keep asking meanwhile
            return 42;
        }, time);

        var asked = Enumerable.Range(0, 100).Select(_ => gauge.FreeBytesAsync("/rec")).Append(gauge.FreeBytesAsync("/other")).ToList();
        release.Set();
        Assert.All(await Task.WhenAll(asked), free => Assert.Equal(42, free));
        Assert.Equal(["/other", "/rec"], calls.Select(c => c.Folder).Order());
        Assert.DoesNotContain(calls, c => c.ThreadPool);

        await gauge.FreeBytesAsync("/rec"); // fresh enough
        time.Advance(FreeSpaceGauge.MaxAge + TimeSpan.FromTicks(1));
        await gauge.FreeBytesAsync("/rec"); // too old: measured again
        Assert.Equal(3, calls.Count);
    }
}
