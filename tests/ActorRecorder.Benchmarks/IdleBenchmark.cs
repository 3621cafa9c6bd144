using ActorRecorder.ClusterLab;
using System.Diagnostics;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Idle channels (their URLs answer 404) polled every 30 s by a node run as its own process: its memory at 1,000 and
/// at 5,000 channels, whose slope is what one more channel costs, its CPU and its checks per second. With
/// <c>--baseline</c>, an earlier build does the same in the same run.
/// </summary>
internal static class IdleBenchmark
{
    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        // --channels N: N idle channels next to 5,000 (the baseline, same build, same run); the slope between them is per channel.
        int[] sizes = Options.Int(args, "--channels") is { } asked ? [quick ? 1000 : 5000, asked] : quick ? [200, 1000] : [1000, 5000];
        var window = quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(60);
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-idle-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            await using var server = await HlsReplayServer.StartAsync([], 2);
            foreach (var build in NodeProcess.Builds(args))
            {
                Report.Note($"node: {build.DllPath}");
                var rss = new List<long>();
                foreach (var channels in sizes)
                {
                    rss.Add(await IdleAsync(Path.Combine(root, $"{build.Name}idle{channels}"), server, channels, build, window));
                }
                Report.Result(build.Name + "idle.bytes_per_channel", (rss[1] - rss[0]) / (double)(sizes[1] - sizes[0]), "bytes");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <returns>The node's peak resident memory over the window, once every channel had its first check.</returns>
    private static async Task<long> IdleAsync(string dir, HlsReplayServer server, int channels, NodeProcess.Build build, TimeSpan window)
    {
        var config = RecordingBenchmark.WriteConfig(dir, Enumerable.Range(0, channels).Select(i => ($"idle{i:0000}", server.Url($"idle{i:0000}"))), poll: "30s", grace: "1m");
        using var node = NodeProcess.Start(build, config);
        await Task.Delay(TimeSpan.FromSeconds(40)); // start-up (every channel recovers from the journal) and the first round of checks
        var requestsBefore = server.Requests;
        var cpuBefore = ProcessStats.CpuTime(node.Pid);
        long maxRss = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window)
        {
            maxRss = Math.Max(maxRss, ProcessStats.Rss(node.Pid));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var cpu = ProcessStats.CpuTime(node.Pid) - cpuBefore;
        var checks = server.Requests - requestsBefore;
        await node.StopAsync();
        var prefix = $"{build.Name}idle.{channels}.";
        Report.Result(prefix + "engine.rss_mb", maxRss / 1048576.0, "MB");
        Report.Result(prefix + "engine.cpu_pct", cpu.TotalSeconds / watch.Elapsed.TotalSeconds * 100, "% of a core");
        Report.Result(prefix + "checks_per_sec", checks / watch.Elapsed.TotalSeconds, "checks/s");
        return maxRss;
    }
}
