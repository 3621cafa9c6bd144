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
}
