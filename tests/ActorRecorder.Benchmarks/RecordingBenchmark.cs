using ActorRecorder.ClusterLab;
using System.Globalization;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The real node (<c>actorrecorder run</c>, a child process) recording many live channels at once, with its own
/// memory and CPU measured next to its ffmpeg processes'; with <c>--baseline</c>, an earlier build does the same in
/// the same run. The live channels replay one pre-encoded 1 Mbit/s HLS sequence, so the source costs no encoding.
/// </summary>
internal static class RecordingBenchmark
{
    private const double SegmentSeconds = 2;

    /// <summary>
    /// <c>--channels N</c> records N channels next to the usual 50 (the baseline, same build, same run); <c>--quick</c> 10.
    /// </summary>
    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var streamSeconds = quick ? 30 : 60;
        int[] counts = Options.Int(args, "--channels") is { } asked ? [quick ? 10 : 50, asked] : [quick ? 10 : 50];
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-rec-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            var segments = await EncodeSourceAsync(root, streamSeconds);
            await using var server = await HlsReplayServer.StartAsync(segments, SegmentSeconds);
            var measured = new List<Measured>();
            foreach (var channels in counts)
            {
                Report.Note($"{channels} channels x {server.StreamDuration.TotalSeconds:0} s of 1 Mbit/s HLS");
                foreach (var build in NodeProcess.Builds(args))
                {
                    Report.Note($"node: {build.DllPath}");
                    measured.Add(await RecordAsync(Path.Combine(root, $"{build.Name}live{channels}"), server, channels, build, counts.Length > 1));
                }
            }
            if (measured.Count == 2 && counts.Length == 1)
            {
                Report.Result("engine.cpu_vs_baseline", measured[0].NodeCpu / measured[1].NodeCpu, "ratio");
                Report.Result("engine.rss_vs_baseline", measured[0].NodeRss / (double)measured[1].NodeRss, "ratio");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Measured(TimeSpan NodeCpu, long NodeRss);

    private static async Task<IReadOnlyList<string>> EncodeSourceAsync(string root, int seconds)
    {
        var dir = Path.Combine(root, "source");
        Directory.CreateDirectory(dir);
        await Tool.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-b:v", "900k", "-maxrate", "1000k", "-bufsize", "2000k",
            "-c:a", "aac", "-b:a", "64k", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0",
            "-hls_segment_filename", Path.Combine(dir, "src-%03d.ts"), Path.Combine(dir, "source.m3u8"),
        ], TimeSpan.FromMinutes(5));
        return Directory.GetFiles(dir, "src-*.ts").Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task<Measured> RecordAsync(string dir, HlsReplayServer server, int channels, NodeProcess.Build build, bool named)
    {
        var ids = Enumerable.Range(0, channels).Select(i => $"{build.Name.TrimEnd('.')}c{channels}n{i:000}").ToArray();
        var config = WriteConfig(dir, ids.Select(id => (id, server.Url(id))), poll: "2s", grace: "6s");
        using var node = NodeProcess.Start(build, config);
        await Task.Delay(TimeSpan.FromSeconds(8)); // the node starts and sees every channel offline
        var liveAt = TimeProvider.System.GetUtcNow();
        foreach (var id in ids)
        {
            server.Start(id, liveAt);
        }
        var sampler = new Sampler(node.Pid);
        var deadline = liveAt + server.StreamDuration + TimeSpan.FromSeconds(60);
        var journalPath = Path.Combine(dir, "data", "journal.db");
        while (await EndedSessionsAsync(journalPath, ids) < channels && TimeProvider.System.GetUtcNow() < deadline)
        {
            sampler.Sample();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var wall = TimeProvider.System.GetUtcNow() - liveAt;
        await node.StopAsync();
        var (complete, gaps, failed, coverage) = await VerifyAsync(journalPath, ids, server.StreamDuration);
        await NoteStartsAsync(journalPath, ids, liveAt);
        var prefix = build.Name;
        string Q(string name) => named ? name.Insert(name.IndexOf('.', StringComparison.Ordinal), "." + channels) : name; // recording.200.coverage
        Report.Result(prefix + Q("recording.channels"), channels, "channels");
        Report.Result(prefix + Q("recording.sessions_complete"), complete, "sessions");
        Report.Result(prefix + Q("recording.gaps"), gaps, "gaps");
        Report.Result(prefix + Q("recording.failed_attempts"), failed, "attempts");
        Report.Result(prefix + Q("recording.coverage"), coverage, "ratio");
        Report.Result(prefix + Q("engine.rss_mb"), sampler.MaxNodeRss / 1048576.0, "MB");
        Report.Result(prefix + Q("engine.cpu_pct"), sampler.NodeCpu.TotalSeconds / wall.TotalSeconds * 100, "% of a core");
        Report.Result(prefix + Q("ffmpeg.pss_mb_per_recording"), sampler.AveragePssPerFfmpeg / 1048576.0, "MB");
        Report.Result(prefix + Q("ffmpeg.cpu_pct_per_recording"), sampler.FfmpegCpu.TotalSeconds / wall.TotalSeconds * 100 / channels, "% of a core");
        Report.Result(prefix + Q("engine.share_of_cpu"), sampler.NodeCpu / (sampler.NodeCpu + sampler.FfmpegCpu), "ratio");
        Report.Result(prefix + Q("engine.share_of_memory"), sampler.MaxNodeRss / (double)(sampler.MaxNodeRss + sampler.MaxFfmpegPss), "ratio");
        return new Measured(sampler.NodeCpu, sampler.MaxNodeRss);
    }

    internal static string WriteConfig(string dir, IEnumerable<(string Id, string Url)> channels, string poll, string grace)
    {
        Directory.CreateDirectory(dir);
        var list = string.Join(",\n    ", channels.Select(c => $"{{ id = {c.Id}, url = \"{c.Url}\" }}"));
        var path = Path.Combine(dir, "node.conf");
        File.WriteAllText(path, $$"""
            actor-recorder {
              node.data-dir = data
              recording { output-dir = recordings, poll-interval = {{poll}}, segment-duration = 10s, grace-period = {{grace}}, stall-timeout = 20s, min-free-disk = 0 }
              channels = [
                {{list}}
              ]
            }
            """);
        return path;
    }

    private static async Task<int> EndedSessionsAsync(string journal, IReadOnlyList<string> ids)
    {
        var ended = 0;
        foreach (var id in ids)
        {
            ended += (await BenchJournal.ReadAsync(journal, id)).OfType<SessionEnded>().Any() ? 1 : 0;
        }
        return ended;
    }

    private static async Task<(int Complete, int Gaps, int Failed, double Coverage)> VerifyAsync(string journal, IReadOnlyList<string> ids,
        TimeSpan streamDuration)
    {
        int complete = 0, gaps = 0, failed = 0;
        var recorded = TimeSpan.Zero;
        foreach (var id in ids)
        {
            var events = await BenchJournal.ReadAsync(journal, id);
            var oneSession = events.OfType<SessionStarted>().Count() == 1 && events.OfType<SessionEnded>().Count() == 1;
            var channelGaps = events.OfType<RecordingGap>().Count();
            var channelFailed = events.OfType<RecordingAttemptEnded>().Count(e => e.Outcome is "Failed" or "Stalled");
            complete += oneSession && channelGaps == 0 && channelFailed == 0 ? 1 : 0;
            gaps += channelGaps;
            failed += channelFailed;
            recorded += TimeSpan.FromTicks(events.OfType<SegmentRecorded>().Sum(s => s.Duration.Ticks));
        }
        return (complete, gaps, failed, recorded / (streamDuration * ids.Count));
    }

    /// <summary>Where a late start is lost: how long after going live each channel's session began, and its first segment's file.</summary>
    private static async Task NoteStartsAsync(string journal, IReadOnlyList<string> ids, DateTimeOffset liveAt)
    {
        var sessions = new List<double>();
        var firstFiles = new List<double>();
        foreach (var id in ids)
        {
            var events = await BenchJournal.ReadAsync(journal, id);
            if (events.OfType<SessionStarted>().FirstOrDefault() is { } started)
            {
                sessions.Add((started.At - liveAt).TotalSeconds);
            }
            if (events.OfType<SegmentRecorded>().FirstOrDefault() is { } first && File.Exists(first.Path))
            {
                firstFiles.Add((new DateTimeOffset(File.GetCreationTimeUtc(first.Path), TimeSpan.Zero) - liveAt).TotalSeconds);
            }
        }
        static string Spread(List<double> values) => values.Count == 0 ? "none" : $"median {values.Order().ElementAt(values.Count / 2):0.0} s, max {values.Max():0.0} s";
        Report.Note($"session started after going live: {Spread(sessions)}; first segment file created: {Spread(firstFiles)}");
    }

    /// <summary>Per-second samples of the node and its ffmpeg children.</summary>
    private sealed class Sampler(int nodePid)
    {
        private readonly TimeSpan _nodeCpuStart = ProcessStats.CpuTime(nodePid);
        private readonly Dictionary<int, TimeSpan> _ffmpegCpu = [];
        private long _pssSum;
        private long _pssSamples;

        public long MaxNodeRss { get; private set; }
        public long MaxFfmpegPss { get; private set; }
        public TimeSpan NodeCpu { get; private set; }
        public TimeSpan FfmpegCpu => TimeSpan.FromTicks(_ffmpegCpu.Values.Sum(t => t.Ticks));
        public double AveragePssPerFfmpeg => _pssSamples == 0 ? 0 : _pssSum / (double)_pssSamples;

        private int _samples;
        private TimeSpan _lastWindowCpu;

        public void Sample()
        {
            MaxNodeRss = Math.Max(MaxNodeRss, ProcessStats.Rss(nodePid));
            NodeCpu = ProcessStats.CpuTime(nodePid) - _nodeCpuStart;
            if (++_samples % 5 == 0)
            {
                Report.Note($"t={_samples,3} s: node {(NodeCpu - _lastWindowCpu).TotalMilliseconds / 50:0.0}% of a core over the last 5 s, {ProcessStats.Children(nodePid, "ffmpeg").Count} ffmpeg");
                _lastWindowCpu = NodeCpu;
            }
            // PSS walks a process's page tables (smaps_rollup): read for at most 20 ffmpegs a second and scaled to all of them, so
            // the measuring does not take the CPU the recordings need (200 of them cost the machine seconds per sample).
            var ffmpegs = ProcessStats.Children(nodePid, "ffmpeg");
            long pss = 0;
            var read = 0;
            foreach (var pid in ffmpegs.OrderBy(_ => Random.Shared.Next()).Take(20))
            {
                var one = ProcessStats.Pss(pid);
                pss += one;
                read++;
                _pssSum += one;
                _pssSamples++;
            }
            foreach (var pid in ffmpegs)
            {
                _ffmpegCpu[pid] = TimeSpan.FromTicks(Math.Max(_ffmpegCpu.GetValueOrDefault(pid).Ticks, ProcessStats.CpuTime(pid).Ticks));
            }
            MaxFfmpegPss = Math.Max(MaxFfmpegPss, read == 0 ? 0 : pss * ffmpegs.Count / read);
        }
    }
}
