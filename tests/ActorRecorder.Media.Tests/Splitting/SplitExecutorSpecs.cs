using System.Security.Cryptography;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Media.Tests.Splitting;

public sealed class SplitExecutorSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static readonly Ffprobe Probe = new();

    /// <summary>Six real 5 s segments (copies of the fixture's sample, each ~0.5 MB).</summary>
    private async Task<List<ProbedSegment>> Segments(string dir)
    {
        Directory.CreateDirectory(dir);
        var segments = new List<ProbedSegment>();
        for (var i = 0; i < 6; i++)
        {
            var path = Path.Combine(dir, $"a001-{i:00000}.ts");
            File.Copy(media.SampleTs, path, overwrite: true);
            var probe = await Probe.ProbeAsync(path, TimeSpan.FromSeconds(20));
            segments.Add(new ProbedSegment(path, probe.Duration, new FileInfo(path).Length, $"copy-{i}", probe.StartTime));
        }
        return segments;
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_part_must_fit_the_limit_play_and_add_up_to_the_session()
    {
        var dir = Path.Combine(media.Directory, "split-fit");
        var segments = await Segments(dir);
        var segmentBytes = segments[0].Bytes;
        var options = new SplitOptions(MaxPartBytes: (long)(segmentBytes * 2.2), MinSegmentDuration: TimeSpan.FromSeconds(1));
        var plan = SplitPlanner.Plan(segments, options);
        var parts = await new SplitExecutor(new PartCutter("ffmpeg", Probe)).CutAllAsync(plan, options, Path.Combine(dir, "parts"), PartFormat.Mp4);

        Assert.True(parts.Count >= 3);
        Assert.Equal(Enumerable.Range(1, parts.Count), parts.Select(p => p.Number));
        var sessionSeconds = segments.Sum(s => s.Duration!.Value.TotalSeconds);
        Assert.InRange(parts.Sum(p => p.Duration.TotalSeconds), sessionSeconds - parts.Count, sessionSeconds + parts.Count);
        foreach (var part in parts)
        {
            Assert.True(part.Bytes <= options.MaxPartBytes, $"part {part.Number}: {part.Bytes} > {options.MaxPartBytes}");
            Assert.Equal(320, part.Width);
            Assert.Equal(240, part.Height);
            var thumbnail = new FileInfo(part.ThumbnailPath!);
            Assert.InRange(thumbnail.Length, 1, 200 * 1024 - 1);
            var probe = await Probe.ProbeAsync(part.Path, TimeSpan.FromSeconds(20));
            Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
            Assert.True(probe.HasVideo && probe.HasAudio);
        }
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir, "parts"), "*.partial"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir, "parts"), "*.concat.txt"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_part_cut_too_big_must_be_cut_again_smaller()
    {
        var dir = Path.Combine(media.Directory, "split-recut");
        var segments = await Segments(dir);
        // Plan with a generous limit, then execute with a strict one: every planned part is too big and is halved.
        var loose = new SplitOptions(MaxPartBytes: segments[0].Bytes * 4, MinSegmentDuration: TimeSpan.FromSeconds(1));
        var strict = loose with { MaxPartBytes = (long)(segments[0].Bytes * 1.3) };
        var plan = SplitPlanner.Plan(segments, loose);
        var parts = await new SplitExecutor(new PartCutter("ffmpeg", Probe)).CutAllAsync(plan, strict, Path.Combine(dir, "parts"), PartFormat.Mp4);
        Assert.True(parts.Count > plan.Parts.Count);
        Assert.All(parts, p => Assert.True(p.Bytes <= strict.MaxPartBytes, $"part {p.Number}: {p.Bytes}"));
        Assert.Equal(parts.Count, Directory.EnumerateFiles(Path.Combine(dir, "parts"), "part-*.mp4").Count());
    }

    [Fact(Timeout = 120_000)]
    public async Task Running_the_split_again_after_a_crash_must_give_the_same_parts_and_no_strays()
    {
        var dir = Path.Combine(media.Directory, "split-again");
        var segments = await Segments(dir);
        var options = new SplitOptions(MaxPartBytes: (long)(segments[0].Bytes * 2.2), MinSegmentDuration: TimeSpan.FromSeconds(1));
        var plan = SplitPlanner.Plan(segments, options);
        var output = Path.Combine(dir, "parts");
        var executor = new SplitExecutor(new PartCutter("ffmpeg", Probe));
        var first = await executor.CutAllAsync(plan, options, output, PartFormat.Mp4);
        var hashes = first.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p.Path)))).ToList();
        await File.WriteAllTextAsync(Path.Combine(output, "part-02.mp4.partial"), "torn by a crash");
        await File.WriteAllTextAsync(Path.Combine(output, "part-02.mp4.concat.txt"), "left by a crash");

        var again = await executor.CutAllAsync(SplitPlanner.Plan(segments, options), options, output, PartFormat.Mp4);

        Assert.Equal(first.Select(p => (p.Number, p.Path, p.Bytes)), again.Select(p => (p.Number, p.Path, p.Bytes)));
        Assert.Equal(hashes, again.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p.Path)))));
        Assert.Empty(Directory.EnumerateFiles(output, "*.partial"));
        Assert.Empty(Directory.EnumerateFiles(output, "*.concat.txt"));
    }

    [Fact]
    public void The_concat_script_must_quote_paths_for_the_demuxer_and_carry_in_and_out_points()
    {
        var part = new PlannedPart(1, [new PartSource("/rec/it's here.ts", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(4))],
            TimeSpan.Zero, TimeSpan.FromSeconds(2.5), 100);
        Assert.Equal("ffconcat version 1.0\nfile '/rec/it'\\''s here.ts'\ninpoint 1.5\noutpoint 4\n", PartCutter.ConcatList(part));
    }
}
