using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Media.Synthetic;

namespace ActorRecorder.Media.Tests.Ffmpeg;

/// <summary>Live HLS with a timed data stream (as platforms carry ID3 metadata), recorded and cut end to end with real ffmpeg.</summary>
public sealed class DataStreamSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Ffprobe Probe = new();

    [Fact(Timeout = 150_000)]
    public async Task A_stream_with_a_data_stream_must_record_into_mkv_and_ts_and_cut_into_mp4_parts()
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90, DataStream = true });
        await source.GoLiveAsync();
        var live = await Probe.ProbeAsync(source.PlaylistUrl, Patience);
        Assert.True(live.Streams.Any(s => s is { CodecType: "data", CodecName: "timed_id3" }), "source: the live stream carries timed ID3");

        var recordings = await Task.WhenAll(RecordAsync(source, Container.Mkv), RecordAsync(source, Container.Ts));
        foreach (var segment in recordings.SelectMany(r => r))
        {
            var probe = await Probe.ProbeAsync(segment, Patience);
            Assert.True(probe.HasVideo && probe.HasAudio, $"recording: {segment} has video and audio");
            Assert.DoesNotContain(probe.Streams, s => s.CodecType == "data");
        }

        // The source's own segments still carry the data stream: the cutter must leave it out of the MP4 parts.
        var raw = await DownloadSegmentsAsync(source, Path.Combine(media.Directory, "data-raw"));
        var segments = new List<ProbedSegment>();
        foreach (var path in raw)
        {
            var probe = await Probe.ProbeAsync(path, Patience);
            Assert.True(probe.Streams.Any(s => s.CodecType == "data"), $"cutting: the source segment {path} carries data");
            segments.Add(new ProbedSegment(path, probe.Duration, new FileInfo(path).Length, path, probe.StartTime));
        }
        var options = new SplitOptions(MaxPartBytes: segments.Max(s => s.Bytes) * 2, MinSegmentDuration: TimeSpan.FromMilliseconds(100));
        var plan = SplitPlanner.Plan(segments, options);
        var parts = await new SplitExecutor(new PartCutter("ffmpeg", Probe))
            .CutAllAsync(plan, options, Path.Combine(media.Directory, "data-parts"), PartFormat.Mp4).WaitAsync(Patience * 2);
        Assert.NotEmpty(parts);
        foreach (var part in parts)
        {
            var probe = await Probe.ProbeAsync(part.Path, Patience);
            Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
            Assert.True(probe.HasVideo && probe.HasAudio, $"parts: part {part.Number} has video and audio");
            Assert.DoesNotContain(probe.Streams, s => s.CodecType == "data");
        }
    }

    /// <summary>Records until four seconds of media are in, stops with 'q', and returns the segments ffmpeg listed.</summary>
    private async Task<IReadOnlyList<string>> RecordAsync(SyntheticLiveSource source, Container container)
    {
        var dir = Path.Combine(media.Directory, "data-" + container.Extension());
        Directory.CreateDirectory(dir);
        var request = new RecordingRequest
        {
            InputUrl = source.PlaylistUrl,
            OutputDirectory = dir,
            FilePrefix = SegmentFileName.Prefix(1),
            Container = container,
            SegmentDuration = TimeSpan.FromSeconds(2),
        };
        var parser = new ProgressParser();
        var fourSeconds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ffmpeg = ChildProcess.Start("ffmpeg", FfmpegArguments.Record(request), line =>
        {
            if (parser.Feed(line)?.OutTime >= TimeSpan.FromSeconds(4))
            {
                fourSeconds.TrySetResult();
            }
        });
        var first = await Task.WhenAny(fourSeconds.Task, ffmpeg.Completion).WaitAsync(Patience);
        Assert.True(first == fourSeconds.Task,
            $"recording into {container}: ffmpeg ended early: {string.Join(" | ", ffmpeg.StderrTail)}");
        var result = await ffmpeg.StopAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).WaitAsync(Patience);
        Assert.True(result is { StopReason: StopReason.Quit, ExitCode: 0 },
            $"recording into {container}: {result.StopReason}, exit code {result.ExitCode}: {string.Join(" | ", result.StderrTail)}");
        var listed = File.ReadAllLines(request.SegmentListPath).Select(SegmentListEntry.Parse).OfType<SegmentListEntry>()
            .Select(e => Path.Combine(dir, e.FileName)).ToList();
        Assert.True(listed.Count >= 2, $"recording into {container}: {listed.Count} segments listed");
        return listed;
    }

    /// <summary>Fetches the segments the live playlist lists, as any HLS client would.</summary>
    private static async Task<IReadOnlyList<string>> DownloadSegmentsAsync(SyntheticLiveSource source, string dir)
    {
        Directory.CreateDirectory(dir);
        using var http = new HttpClient { Timeout = Patience };
        var playlist = await http.GetStringAsync(source.PlaylistUrl);
        var paths = new List<string>();
        foreach (var name in playlist.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Take(3))
        {
            var path = Path.Combine(dir, name);
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync(new Uri(new Uri(source.PlaylistUrl), name)));
            paths.Add(path);
        }
        return paths;
    }
}
