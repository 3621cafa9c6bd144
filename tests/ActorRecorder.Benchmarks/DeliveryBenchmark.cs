using System.Diagnostics;
using System.Globalization;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Telegram;
using ActorRecorder.Telegram.FakeServer;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Delivery's figures, each next to a baseline in the same run: uploading a 500 MB part to the loopback
/// fake Bot API with our client against <c>curl -F</c> of the same file; splitting a 2 GB session into
/// parts against one bare <c>ffmpeg -c copy</c> pass over the same segments.
/// </summary>
internal static class DeliveryBenchmark
{
    private const string Token = "777:bench";

    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-delivery-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            await UploadAsync(root, quick ? 100L << 20 : 500L << 20);
            await RcloneAsync(root, quick ? 100L << 20 : 500L << 20);
            await SplitAsync(root, quick ? 400L << 20 : 2L << 30);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task UploadAsync(string root, long bytes)
    {
        var file = Path.Combine(root, "part.mp4");
        await WriteRandomAsync(file, bytes);
        await using var fake = await FakeBotApi.StartAsync(Token, maxUploadBytes: bytes * 2);
        using var http = TelegramBotClient.CreateHttpClient();
        var client = new TelegramBotClient(http, new TelegramOptions { ApiBaseUrl = fake.BaseUrl, BotToken = Token });
        double best = 0, bestCurl = 0;
        for (var round = 0; round < 3; round++)
        {
            var started = Stopwatch.StartNew();
            await client.SendVideoAsync(new SendVideo(round - 1000, file));
            best = Math.Max(best, bytes / started.Elapsed.TotalSeconds);
            started.Restart();
            await Tool.RunAsync("curl",
            [
                "-sS", "-f", "-o", "/dev/null", "-F", $"chat_id={round - 2000}", "-F", $"video=@{file}",
                $"{fake.BaseUrl}/bot{Token}/sendVideo",
            ], TimeSpan.FromMinutes(10));
            bestCurl = Math.Max(bestCurl, bytes / started.Elapsed.TotalSeconds);
        }
        Report.Note($"upload of {bytes >> 20} MiB to the loopback fake, best of 3");
        Report.Result("telegram.upload.mb_per_sec", best / 1e6, "MB/s");
        Report.Result("curl.upload.mb_per_sec", bestCurl / 1e6, "MB/s");
        Report.Result("telegram.upload.vs_curl_ratio", best / bestCurl, "ratio");
        File.Delete(file);
    }

    /// <summary>
    /// The rclone target delivering a part (copy, then size and hash check) to <c>rclone serve webdav</c> on loopback, against
    /// <c>rclone copyto</c> of the same file to the same server: best of 3 each.
    /// </summary>
    private static async Task RcloneAsync(string root, long bytes)
    {
        var file = Path.Combine(root, "part-rclone.mp4");
        await WriteRandomAsync(file, bytes);
        var served = Path.Combine(root, "remote");
        Directory.CreateDirectory(served);
        var port = ClusterLab.LocalCluster.FreePort();
        await using var server = ChildProcess.Start("rclone", ["serve", "webdav", served, "--addr", $"127.0.0.1:{port}", "--config", "/dev/null"]);
        var config = Path.Combine(root, "rclone.conf");
        await File.WriteAllTextAsync(config, $"[dav]\ntype = webdav\nurl = http://127.0.0.1:{port}\nvendor = other\n");
        await WaitForPortAsync(port);
        var target = new Engine.Delivery.RcloneTarget(new Engine.Settings.RcloneTargetSettings("dav:ours", config, [], 50L << 30, "rclone"));
        double best = 0, bestCli = 0;
        for (var round = 0; round < 3; round++)
        {
            // A new channel each round: every round transfers to a path of its own, as the CLI's does.
            var item = new Engine.Delivery.DeliveryItem($"bench-{round}", "s1", "Bench", DateTimeOffset.UnixEpoch,
                new Engine.Channel.PartInfo(1, file, bytes, TimeSpan.FromMinutes(10), null, null, null), 1);
            var started = Stopwatch.StartNew();
            await target.DeliverAsync(item, CancellationToken.None);
            best = Math.Max(best, bytes / started.Elapsed.TotalSeconds);
            started.Restart();
            await Tool.RunAsync("rclone", ["copyto", file, $"dav:cli/part-{round}.mp4", "--config", config], TimeSpan.FromMinutes(10));
            bestCli = Math.Max(bestCli, bytes / started.Elapsed.TotalSeconds);
        }
        server.Kill();
        Report.Note($"rclone delivery of {bytes >> 20} MiB to rclone serve webdav on loopback (copy and size check), best of 3, against rclone copyto");
        Report.Result("rclone.upload.mb_per_sec", best / 1e6, "MB/s");
        Report.Result("rclone_cli.upload.mb_per_sec", bestCli / 1e6, "MB/s");
        Report.Result("rclone.upload.vs_rclone_cli_ratio", best / bestCli, "ratio");
        File.Delete(file);
    }

    private static async Task WriteRandomAsync(string file, long bytes)
    {
        await using var stream = new FileStream(file, FileMode.Create);
        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        for (long written = 0; written < bytes; written += block.Length)
        {
            await stream.WriteAsync(block);
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private static async Task SplitAsync(string root, long sessionBytes)
    {
        var dir = Path.Combine(root, "session");
        Directory.CreateDirectory(dir);
        var first = Path.Combine(dir, "a001-00000.ts");
        await Tool.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine",
            "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-b:v", "16M", "-c:a", "aac", "-f", "mpegts", "-y", first,
        ], TimeSpan.FromMinutes(5));
        var ffprobe = new Ffprobe();
        var probe = await ffprobe.ProbeAsync(first, TimeSpan.FromMinutes(1));
        var segmentBytes = new FileInfo(first).Length;
        var count = (int)Math.Ceiling(sessionBytes / (double)segmentBytes);
        var segments = new List<ProbedSegment>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(dir, $"a001-{i:00000}.ts");
            if (i > 0)
            {
                File.Copy(first, path);
            }
            segments.Add(new ProbedSegment(path, probe.Duration, segmentBytes, $"copy-{i}", probe.StartTime));
        }
        var total = segmentBytes * count;

        var baseline = Path.Combine(root, "baseline.mp4");
        var list = Path.Combine(root, "all.txt");
        await File.WriteAllLinesAsync(list, segments.Select(s => $"file '{s.Path}'"));
        var started = Stopwatch.StartNew();
        await Tool.RunAsync("ffmpeg",
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-map", "0:v?", "-map", "0:a?", "-c", "copy",
             "-movflags", "+faststart", "-f", "mp4", "-y", baseline], TimeSpan.FromMinutes(30));
        var ffmpegSeconds = started.Elapsed.TotalSeconds;
        File.Delete(baseline);

        var options = new SplitOptions(MaxPartBytes: 500L << 20, MinSegmentDuration: TimeSpan.FromSeconds(1));
        started.Restart();
        var plan = SplitPlanner.Plan(segments, options);
        var parts = await new SplitExecutor(new PartCutter("ffmpeg", ffprobe)).CutAllAsync(plan, options, Path.Combine(root, "parts"), PartFormat.Mp4);
        var splitSeconds = started.Elapsed.TotalSeconds;

        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"split of a {total / 1e9:0.00} GB session ({count} segments) into {parts.Count} parts of at most 500 MiB"));
        Report.Result("split.seconds", splitSeconds, "s");
        Report.Result("ffmpeg.copy.seconds", ffmpegSeconds, "s");
        Report.Result("split.vs_ffmpeg_ratio", ffmpegSeconds / splitSeconds, "ratio");
        Report.Result("split.mb_per_sec", total / 1e6 / splitSeconds, "MB/s");
    }
}
