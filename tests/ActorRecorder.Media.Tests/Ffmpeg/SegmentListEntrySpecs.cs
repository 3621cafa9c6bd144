using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Media.Tests.Ffmpeg;

public sealed class SegmentListEntrySpecs
{
    [Fact]
    public void A_csv_line_must_give_the_file_and_its_time_range()
    {
        var entry = SegmentListEntry.Parse("rec-00001.ts,2.021333,4.021333");
        Assert.NotNull(entry);
        Assert.Equal("rec-00001.ts", entry.FileName);
        Assert.Equal(TimeSpan.FromSeconds(2), entry.Duration);
    }

    [Fact]
    public void A_quoted_name_with_a_comma_must_be_unquoted()
    {
        var entry = SegmentListEntry.Parse("\"odd,name.ts\",0.5,1.5");
        Assert.Equal("odd,name.ts", entry?.FileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rec-00001.ts,2.0")]
    [InlineData("rec-00001.ts,abc,4.0")]
    [InlineData("rec-00001.ts,4.0,2.0")]
    [InlineData(",1,2")]
    public void A_partial_or_malformed_line_must_give_null(string line) => Assert.Null(SegmentListEntry.Parse(line));
}
