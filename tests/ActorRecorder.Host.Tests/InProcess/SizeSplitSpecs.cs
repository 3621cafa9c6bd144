using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Synthetic;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// <c>recording.segment-size</c> on a real node: a 2 Mbit/s live source (a keyframe each second) with
/// <c>segment-size = 2MB</c> gives files of 2–3 MB, each playable on its own, each starting where the last ended.
/// </summary>
public sealed class SizeSplitSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    protected override SyntheticSourceOptions SourceOptions => new() { Width = 640, Height = 360, VideoBitrate = 2_000_000 };

    [Fact(Timeout = 150_000)]
    public async Task A_2_Mbit_source_split_at_2MB_must_give_playable_files_of_2_to_3_MB_without_a_gap()
    {
        await StartNodeAsync(extra: "recording { segment-size = 2MB, segment-duration = 10m }");
        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        var first = await Next<SegmentRecorded>(s => s.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        var second = await Next<SegmentRecorded>(s => s.SessionId == started.SessionId, TimeSpan.FromSeconds(60));

        var ffprobe = new Ffprobe();
        var probes = new List<ProbeResult>();
        foreach (var segment in new[] { first, second })
        {
            Output.WriteLine($"{segment.Path}: {segment.Bytes} bytes, {segment.Duration.TotalSeconds:0.00} s");
            Assert.InRange(segment.Bytes, 2_000_000, 3_000_000);
            Assert.Equal(segment.Bytes, new FileInfo(segment.Path).Length);
            var probe = await ffprobe.ProbeAsync(segment.Path, TimeSpan.FromSeconds(30));
            Assert.True(probe.HasVideo && probe.HasAudio, $"{segment.Path} plays alone");
            probes.Add(probe);
        }
        // The second file starts where the first ended (audio is interleaved up to 0.7 s around the cut).
        Assert.Equal((probes[0].StartTime + first.Duration).TotalSeconds, probes[1].StartTime.TotalSeconds, 1.0);
        Assert.Equal(Path.GetFileName(first.Path)[..5], Path.GetFileName(second.Path)[..5]); // one attempt: cut, not restarted
        Assert.Empty((await JournalAsync()).OfType<RecordingGap>());
        var folder = Path.GetDirectoryName(first.Path)!;
        Assert.Single(Directory.GetFiles(folder, "*.fifo")); // ffmpeg writes into it while the attempt runs
        await StopNodeAsync();
        Assert.Empty(Directory.GetFiles(folder, "*.fifo")); // and it goes with the attempt
    }
}
