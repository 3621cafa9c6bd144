using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Media.Tests.Ffmpeg;

public sealed class SegmentFileNameSpecs
{
    [Theory]
    [InlineData(1, "a001")]
    [InlineData(999, "a999")]
    [InlineData(1000, "a1000")]
    [InlineData(123456, "a123456")]
    public void Prefix_must_pad_to_three_digits_and_grow_past_them(int attempt, string prefix) =>
        Assert.Equal(prefix, SegmentFileName.Prefix(attempt));

    [Theory]
    [InlineData("a001-00042.ts", 1, 42)]
    [InlineData("/rec/alice/s1/a999-99999.mkv", 999, 99999)]
    [InlineData("a1000-00000.ts", 1000, 0)]
    [InlineData("a1234-100000.flv", 1234, 100000)]
    [InlineData("a001-00003.ts.discarded", 1, 3)]
    public void TryParse_must_read_attempt_and_number_at_any_width(string name, int attempt, int number)
    {
        Assert.True(SegmentFileName.TryParse(name, out var parsedAttempt, out var parsedNumber));
        Assert.Equal((attempt, number), (parsedAttempt, parsedNumber));
    }

    [Theory]
    [InlineData("a001.segments.csv")]
    [InlineData("a001.pid")]
    [InlineData("b1-000001.ts")]
    [InlineData("a1x-00001.ts")]
    [InlineData("a001-0000x.ts")]
    [InlineData("a-00001.ts")]
    [InlineData("a99999999999-1.ts")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_must_refuse_other_names(string? name) =>
        Assert.False(SegmentFileName.TryParse(name, out _, out _));

    [Fact]
    public void A_name_written_for_a_request_must_parse_back()
    {
        var request = new RecordingRequest { InputUrl = "x", OutputDirectory = "/rec", FilePrefix = SegmentFileName.Prefix(1234) };
        Assert.True(SegmentFileName.TryParse(request.SegmentPath(123456), out var attempt, out var number));
        Assert.Equal((1234, 123456), (attempt, number));
    }

    [Fact]
    public void The_comparer_must_order_by_attempt_then_number_numerically()
    {
        string[] names = ["/s/notes.txt", "/s/a1000-00000.ts", "/s/a999-100000.ts", "/s/a999-99999.ts", "/s/a002-00001.ts", "/s/a999-00001.ts"];
        Assert.Equal(
            ["/s/a002-00001.ts", "/s/a999-00001.ts", "/s/a999-99999.ts", "/s/a999-100000.ts", "/s/a1000-00000.ts", "/s/notes.txt"],
            names.Order(SegmentFileName.Comparer));
    }
}
