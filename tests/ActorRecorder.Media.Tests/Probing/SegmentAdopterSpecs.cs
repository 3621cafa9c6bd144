using ActorRecorder.Media.Probing;

namespace ActorRecorder.Media.Tests.Probing;

public sealed class SegmentAdopterSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private readonly SegmentAdopter _adopter = new(new Ffprobe(), TimeSpan.FromSeconds(20));

    private string CopyOfSample(string name, long? length = null)
    {
        var path = Path.Combine(media.Directory, name);
        var bytes = File.ReadAllBytes(media.SampleTs);
        File.WriteAllBytes(path, length is null ? bytes : bytes[..(int)length.Value]);
        return path;
    }

    [Fact(Timeout = 30_000)]
    public async Task A_whole_segment_must_be_kept_as_it_is()
    {
        var path = CopyOfSample("whole.ts");
        var kept = Assert.IsType<AdoptionResult.Kept>(await _adopter.AdoptAsync(path));
        Assert.Null(kept.TruncatedFrom);
        Assert.InRange(kept.Duration.TotalSeconds, 4.5, 5.5);
        Assert.Equal(new FileInfo(path).Length, kept.Bytes);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_segment_cut_mid_packet_must_be_kept_up_to_its_last_whole_packet()
    {
        var path = CopyOfSample("torn.ts", 188 * 900 + 77);
        var kept = Assert.IsType<AdoptionResult.Kept>(await _adopter.AdoptAsync(path));
        Assert.True(kept.Duration > TimeSpan.Zero);
        Assert.Equal(188 * 900, new FileInfo(path).Length);
        Assert.Equal(188L * 900 + 77, kept.TruncatedFrom);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unplayable_segment_must_be_set_aside_with_the_reason_not_deleted()
    {
        var path = Path.Combine(media.Directory, "garbage.ts");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0x5A, 10_000).ToArray());
        var dropped = Assert.IsType<AdoptionResult.Dropped>(await _adopter.AdoptAsync(path));
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(dropped.DiscardedPath));
        Assert.Contains("unplayable", dropped.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_empty_segment_must_be_dropped()
    {
        var path = Path.Combine(media.Directory, "empty.ts");
        await File.WriteAllBytesAsync(path, []);
        Assert.Contains("empty", Assert.IsType<AdoptionResult.Dropped>(await _adopter.AdoptAsync(path)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_probe_that_times_out_must_set_the_segment_aside_with_the_reason()
    {
        var path = CopyOfSample("slow-probe.ts");
        var adopter = new SegmentAdopter(new Ffprobe(SlowFfprobe()), TimeSpan.FromMilliseconds(300));
        var dropped = Assert.IsType<AdoptionResult.Dropped>(await adopter.AdoptAsync(path));
        Assert.Contains("timed out after 0.3 s", dropped.Reason);
        Assert.Equal(path + ".discarded", dropped.DiscardedPath);
        Assert.True(File.Exists(dropped.DiscardedPath), "set aside, not deleted");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_ffprobe_must_set_the_segment_aside_with_the_reason()
    {
        var path = CopyOfSample("no-ffprobe.ts");
        var adopter = new SegmentAdopter(new Ffprobe("/nonexistent/ffprobe"), TimeSpan.FromSeconds(20));
        var dropped = Assert.IsType<AdoptionResult.Dropped>(await adopter.AdoptAsync(path));
        Assert.Contains("could not start '/nonexistent/ffprobe'", dropped.Reason);
        Assert.True(File.Exists(dropped.DiscardedPath));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancellation_by_the_caller_must_escape_and_leave_the_segment_alone()
    {
        var path = CopyOfSample("cancelled.ts");
        var adopter = new SegmentAdopter(new Ffprobe(SlowFfprobe()), TimeSpan.FromSeconds(20));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => adopter.AdoptAsync(path, cancellation.Token));
        Assert.True(File.Exists(path));
    }

    /// <summary>An "ffprobe" that hangs: a script that sleeps.</summary>
    private string SlowFfprobe()
    {
        var script = Path.Combine(media.Directory, "slow-ffprobe");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("a shell script stands in for ffprobe");
        }
        if (!File.Exists(script))
        {
            File.WriteAllText(script, "#!/bin/sh\nexec sleep 30\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }
}
