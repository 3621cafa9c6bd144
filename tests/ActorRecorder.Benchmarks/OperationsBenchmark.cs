using System.Diagnostics;
using System.Net.Http.Headers;
using ActorRecorder.ClusterLab;
using ActorRecorder.Media.Synthetic;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The management API of a node run as its own process. The live stream with 100 concurrent clients: the node's memory
/// per client and the time to the first byte, next to <c>GET /health</c>'s time to first byte in the same run (and, with
/// <c>--baseline PATH</c>, the same figures of an earlier build, run after this one's). Then
/// <c>GET /api/channels</c> with 1,000 channels: requests per second and p99, next to <c>GET /health</c> under the same load.
/// </summary>
internal static class OperationsBenchmark
{
    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-ops-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            foreach (var build in NodeProcess.Builds(args))
            {
                await LiveAsync(Path.Combine(root, build.Name + "live"), clients: quick ? 30 : 100, window: TimeSpan.FromSeconds(quick ? 10 : 30), build);
            }
            await ChannelListAsync(Path.Combine(root, "list"), channels: quick ? 200 : 1000, window: TimeSpan.FromSeconds(quick ? 10 : 30));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The live stream's figures for one build (with <c>--baseline</c>, the earlier build's follow, prefixed <c>baseline.</c>).</summary>
    private static async Task LiveAsync(string dir, int clients, TimeSpan window, NodeProcess.Build build)
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = 1_000_000 });
        await source.GoLiveAsync();
        var config = RecordingBenchmark.WriteConfig(dir, [("live", source.PlaylistUrl)], poll: "1s", grace: "30s");
        File.AppendAllText(config, "\nactor-recorder.recording.segment-duration = 2s\n");
        using var node = NodeProcess.Start(build, config);
        using var http = await ConnectAsync(dir);
        await WaitAsync(async () => (await http.GetStringAsync("/api/channels/live")).Contains("\"currentFile\":\"/", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(5)); // a few segments in

        var health = await SequentialTtfbAsync(http, "/health", 50);
        Report.Result(build.Name + "live.baseline_health_ttfb_ms_median", Percentile(health, 0.5), "ms");
        var single = await SequentialTtfbAsync(http, "/api/channels/live/live", 10);
        Report.Result(build.Name + "live.single_client_ttfb_ms_median", Percentile(single, 0.5), "ms");

        var rssBefore = ProcessStats.Rss(node.Pid);
        using var stop = new CancellationTokenSource();
        var ttfb = new double[clients];
        var received = new long[clients];
        var readers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var started = Stopwatch.StartNew();
            using var response = await http.GetAsync("/api/channels/live/live", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(stop.Token);
            var buffer = new byte[16 * 1024];
            var read = await stream.ReadAsync(buffer, stop.Token);
            ttfb[i] = started.Elapsed.TotalMilliseconds;
            received[i] += read;
            try
            {
                while ((read = await stream.ReadAsync(buffer, stop.Token)) > 0)
                {
                    received[i] += read;
                }
            }
            catch (OperationCanceledException)
            {
                // the window is over
            }
        })).ToList();
        long maxRss = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window)
        {
            maxRss = Math.Max(maxRss, ProcessStats.Rss(node.Pid));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { })));
        Report.Result(build.Name + "live.clients", clients, "clients");
        Report.Result(build.Name + "live.bytes_per_client", Math.Max(0, maxRss - rssBefore) / (double)clients, "bytes");
        Report.Result(build.Name + "live.ttfb_ms_median", Percentile(ttfb, 0.5), "ms");
        Report.Result(build.Name + "live.ttfb_ms_p99", Percentile(ttfb, 0.99), "ms");
        Report.Result(build.Name + "live.ttfb_ratio_to_health", Percentile(ttfb, 0.5) / Math.Max(0.001, Percentile(health, 0.5)), "ratio");
        Report.Result(build.Name + "live.client_kbps_min", received.Min() * 8 / 1000.0 / window.TotalSeconds, "kbit/s");
        await node.StopAsync();
    }

    private static async Task ChannelListAsync(string dir, int channels, TimeSpan window)
    {
        await using var server = await HlsReplayServer.StartAsync([], 2);
        var config = RecordingBenchmark.WriteConfig(dir, Enumerable.Range(0, channels).Select(i => ($"idle{i:0000}", server.Url($"idle{i:0000}"))), poll: "30s", grace: "1m");
        using var node = NodeProcess.Start(NodeProcess.Builds([])[0], config);
        using var http = await ConnectAsync(dir);
        await WaitAsync(async () => (await http.GetStringAsync("/api/sharding/regions")).Contains($"\"entities\":{channels}", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(10)); // every channel had its first check
        foreach (var (name, path) in new[] { ("health", "/health"), ("channels", "/api/channels") })
        {
            var (perSecond, latencies) = await LoadAsync(http, path, workers: 4, window);
            Report.Result($"api.{name}.requests_per_sec", perSecond, "requests/s");
            Report.Result($"api.{name}.p99_ms", Percentile(latencies, 0.99), "ms");
        }
        Report.Result("api.channels.count", channels, "channels");
        await node.StopAsync();
    }

    private static async Task<(double PerSecond, double[] Latencies)> LoadAsync(HttpClient http, string path, int workers, TimeSpan window)
    {
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < window)
            {
                var started = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                lock (latencies)
                {
                    latencies.Add(started.Elapsed.TotalMilliseconds);
                }
            }
        })));
        return (latencies.Count / watch.Elapsed.TotalSeconds, [.. latencies]);
    }

    private static async Task<double[]> SequentialTtfbAsync(HttpClient http, string path, int count)
    {
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.ReadExactlyAsync(new byte[1]);
            times[i] = started.Elapsed.TotalMilliseconds;
        }
        return times;
    }

    /// <summary>A client of the node's API once it serves it (its address and token are in its data directory).</summary>
    private static async Task<HttpClient> ConnectAsync(string dir)
    {
        var data = Path.Combine(dir, "data");
        await WaitAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "management.address"))), TimeSpan.FromSeconds(60));
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 })
        {
            BaseAddress = new Uri(File.ReadAllText(Path.Combine(data, "management.address")).Trim()),
            Timeout = TimeSpan.FromSeconds(120),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "management.token")).Trim());
        return http;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // starting
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("the node did not get ready in time");
            }
            await Task.Delay(500);
        }
    }

    private static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
