using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Media.Tests.Ffmpeg;

public sealed class ProgressParserSpecs
{
    private static List<FfmpegProgress> FeedAll(string text)
    {
        var parser = new ProgressParser();
        return text.Split('\n').Select(parser.Feed).OfType<FfmpegProgress>().ToList();
    }

    [Fact]
    public void Parser_must_emit_one_block_per_progress_line()
    {
        var blocks = FeedAll("""
            frame=125
            fps=24.89
            bitrate=N/A
            total_size=N/A
            out_time_us=5034667
            out_time_ms=5034667
            out_time=00:00:05.034667
            speed=   1x
            progress=continue
            frame=150
            total_size=1048576
            out_time_us=6000000
            speed=1.02x
            progress=end
            """);
        Assert.Equal(2, blocks.Count);
        Assert.Equal(new FfmpegProgress(null, TimeSpan.FromMicroseconds(5034667), 125, 1.0, false), blocks[0]);
        Assert.Equal(new FfmpegProgress(1048576, TimeSpan.FromSeconds(6), 150, 1.02, true), blocks[1]);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("=value")]
    [InlineData("out_time_us=-9223372036854775807")]
    [InlineData("speed=N/A")]
    [InlineData("frame=notanumber")]
    public void Malformed_lines_must_be_ignored(string line)
    {
        var parser = new ProgressParser();
        Assert.Null(parser.Feed(line));
        var block = parser.Feed("progress=continue");
        Assert.NotNull(block);
        Assert.Null(block.OutTime);
        Assert.Null(block.Frame);
    }
}
