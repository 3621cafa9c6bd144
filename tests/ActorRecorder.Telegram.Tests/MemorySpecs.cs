using System.Diagnostics;
using ActorRecorder.Telegram.Tests.Support;
using Xunit.Abstractions;

namespace ActorRecorder.Telegram.Tests;

/// <summary>Runs alone: the figures are process-wide and other tests' allocations would blur them.</summary>
[CollectionDefinition(nameof(MemorySpecs), DisableParallelization = true)]
public sealed class MemoryCollection;

[Collection(nameof(MemorySpecs))]
public sealed class MemorySpecs(ITestOutputHelper output) : BotApiTest
{
    private const long Gigabyte = 1024L * 1024 * 1024;
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    protected override long MaxUploadBytes => 2 * Gigabyte;

    [Fact(Timeout = 180_000)]
    public async Task Uploading_a_1_GB_file_must_not_grow_memory_with_the_file_size()
    {
        var path = Path.Combine(Directory, "sparse.mp4");
        await using (var file = new FileStream(path, FileMode.CreateNew))
            file.SetLength(Gigabyte);
        var client = Client(o => o with { MinThroughput = 10 * 1024 * 1024 });
        await client.SendMessageAsync(-100, "warm up the connection pool and JIT");

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        var watch = Stopwatch.StartNew();
        await client.SendVideoAsync(new SendVideo(-100, path));
        watch.Stop();
        var workingSetAfter = Process.GetCurrentProcess().WorkingSet64;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine(
            $"1 GiB upload in {watch.Elapsed.TotalSeconds:0.0} s; GC heap {heapBefore / 1e6:0.0} → {heapAfter / 1e6:0.0} MB; "
            + $"working set {workingSetBefore / 1e6:0.0} → {workingSetAfter / 1e6:0.0} MB");
        Assert.Equal(Gigabyte, Fake.Received[^1].Size);
        Assert.True(heapAfter - heapBefore < FiftyMegabytes, $"GC heap grew by {(heapAfter - heapBefore) / 1e6:0.0} MB");
        Assert.True(workingSetAfter - workingSetBefore < FiftyMegabytes, $"working set grew by {(workingSetAfter - workingSetBefore) / 1e6:0.0} MB");
    }
}
