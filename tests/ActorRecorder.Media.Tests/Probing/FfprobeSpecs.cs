using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Probing;

public sealed class FfprobeSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task Probe_must_read_duration_streams_and_size_of_a_real_file()
    {
        var result = await new Ffprobe().ProbeAsync(media.SampleTs, TimeSpan.FromSeconds(20));
        Assert.Equal("mpegts", result.FormatName);
        Assert.InRange(result.Duration!.Value.TotalSeconds, 4.9, 5.2);
        Assert.Equal(new FileInfo(media.SampleTs).Length, result.SizeBytes);
        Assert.Equal(320, result.Video?.Width);
        Assert.Equal(240, result.Video?.Height);
        Assert.Equal("h264", result.Video?.CodecName);
        Assert.True(result.HasAudio);
    }

    [Fact(Timeout = 30_000)]
    public async Task Probing_a_file_that_is_not_media_must_fail_with_ffprobes_reason()
    {
        var junk = Path.Combine(media.Directory, "junk.ts");
        await File.WriteAllBytesAsync(junk, new byte[4096]);
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() => new Ffprobe().ProbeAsync(junk, TimeSpan.FromSeconds(20)));
        Assert.NotEmpty(ex.StderrTail);
        Assert.Contains("junk.ts", ex.Message);
    }

    [Fact]
    public void Parse_must_tolerate_missing_fields()
    {
        var result = Ffprobe.Parse("""{"streams":[{"codec_type":"audio"}],"format":{}}""");
        Assert.Equal("unknown", result.FormatName);
        Assert.Null(result.Duration);
        Assert.True(result.HasAudio);
        Assert.False(result.HasVideo);
        Assert.Throws<FormatException>(() => Ffprobe.Parse("not json"));
    }
}
