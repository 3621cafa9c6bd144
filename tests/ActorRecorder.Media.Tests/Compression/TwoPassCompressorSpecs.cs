using ActorRecorder.Media.Compression;
using ActorRecorder.Media.Probing;

namespace ActorRecorder.Media.Tests.Compression;

public sealed class TwoPassCompressorSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private readonly TwoPassCompressor _compressor = new("ffmpeg", new Ffprobe());

    [Fact(Timeout = 120_000)]
    public async Task Two_inputs_must_become_one_playable_h264_file_within_the_target_size()
    {
        var output = Path.Combine(media.Directory, "fits", "compressed.mp4");
        const long Target = 200 * 1024;

        var copy = await _compressor.CompressAsync([media.SampleTs, media.SampleTs], output, Target, CancellationToken.None);

        Assert.Equal(output, copy.Path);
        Assert.InRange(copy.Bytes, Target / 3, Target); // fits, and uses the room it has
        var probe = await new Ffprobe().ProbeAsync(output, TimeSpan.FromSeconds(20));
        Assert.Equal("h264", probe.Video!.CodecName);
        Assert.Contains(probe.Streams, s => s.CodecName == "aac");
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 9.5, 10.5);
        Assert.Equal((320, 240), (copy.Width, copy.Height));
        Assert.Equal(["compressed.mp4"], Directory.EnumerateFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName)); // no pass logs, lists or partial file
    }

    [Fact(Timeout = 60_000)]
    public async Task A_target_too_small_for_the_duration_must_be_refused_as_impossible_leaving_no_file()
    {
        var output = Path.Combine(media.Directory, "too-small", "compressed.mp4");

        var refused = await Assert.ThrowsAsync<CompressionImpossibleException>(() =>
            _compressor.CompressAsync([media.SampleTs, media.SampleTs], output, 100 * 1024, CancellationToken.None));

        Assert.Contains("do not fit", refused.Message);
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(output)!));
    }

    [Theory]
    [InlineData(2000L << 20, 3600, true, 4_377)]
    [InlineData(1L << 20, 60, false, 134)]
    public void The_video_bitrate_must_leave_room_for_audio_and_the_container(long target, int seconds, bool audio, long kbps)
    {
        Assert.Equal(kbps, TwoPassCompressor.VideoBitrateFor(target, TimeSpan.FromSeconds(seconds), audio) / 1000);
    }
}
