using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Ffmpeg;

/// <summary>
/// The size cutter on a real 2 Mbit/s MPEG-TS stream from ffmpeg (keyframes each second): files of 2 MB end at the first
/// keyframe after 2 MB, each plays on its own, and the files follow each other without a gap, byte for byte.
/// </summary>
public sealed class TsSegmenterSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ar-tsseg-" + Guid.NewGuid().ToString("N")[..8]);

    public TsSegmenterSpecs() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task Files_must_end_at_the_first_keyframe_after_the_size_play_alone_and_follow_each_other_without_a_gap()
    {
        var source = Path.Combine(_dir, "source.ts");
        await Tool.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-b:v", "2M", "-minrate", "2M", "-maxrate", "2M", "-bufsize", "1M",
            "-c:a", "aac", "-f", "mpegts", "-y", source,
        ], TimeSpan.FromMinutes(2));
        var request = new RecordingRequest
        {
            InputUrl = "pipe:", OutputDirectory = _dir, FilePrefix = "a001", SegmentDuration = TimeSpan.FromHours(1), SegmentSize = 2_000_000,
        };
        await using (var input = File.OpenRead(source))
        {
            await new TsSegmenter(request, request.SegmentSize).RunAsync(input, CancellationToken.None);
        }

        var entries = (await File.ReadAllLinesAsync(request.SegmentListPath)).Select(SegmentListEntry.Parse).OfType<SegmentListEntry>().ToList();
        var files = Directory.GetFiles(_dir, "a001-*.ts").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Select(Path.GetFileName), entries.Select(e => e.FileName));
        Assert.True(files.Count >= 3, $"{files.Count} files from {new FileInfo(source).Length} bytes");
        foreach (var file in files.SkipLast(1))
        {
            var bytes = new FileInfo(file).Length;
            Assert.InRange(bytes, 2_000_000, 3_000_000);
        }
        // Byte for byte: the files are the stream, plus the tables (PAT, PMT: two packets) each later file starts with.
        Assert.Equal(new FileInfo(source).Length + (files.Count - 1) * 2 * 188, files.Sum(f => new FileInfo(f).Length));

        var ffprobe = new Ffprobe();
        var previousEnd = (TimeSpan?)null;
        for (var i = 0; i < files.Count; i++)
        {
            var probe = await ffprobe.ProbeAsync(files[i], TimeSpan.FromSeconds(30));
            Assert.True(probe.HasVideo && probe.HasAudio, $"{files[i]} plays alone");
            Assert.Equal(entries[i].Duration.TotalSeconds, probe.Duration!.Value.TotalSeconds, 1.0); // audio is interleaved up to 0.7 s (muxdelay) around the cut
            if (previousEnd is { } end)
            {
                Assert.Equal(end.TotalSeconds, entries[i].Start.TotalSeconds, 0.001); // the next starts where the last ended
            }
            previousEnd = entries[i].End;
        }
        Assert.Equal(30, entries[^1].End.TotalSeconds, 1.0);
    }
}
