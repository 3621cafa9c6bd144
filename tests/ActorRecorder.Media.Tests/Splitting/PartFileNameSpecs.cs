using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Media.Tests.Splitting;

public sealed class PartFileNameSpecs
{
    [Theory]
    [InlineData(1, "part-01")]
    [InlineData(99, "part-99")]
    [InlineData(100, "part-100")]
    public void Stem_must_pad_to_two_digits_and_grow_past_them(int number, string stem) =>
        Assert.Equal(stem, PartFileName.Stem(number));

    [Theory]
    [InlineData("part-05.mp4", 5, "")]
    [InlineData("/parts/part-100.ts", 100, "")]
    [InlineData("part-05a.mp4", 5, "a")]
    [InlineData("part-123ab.mp4", 123, "ab")]
    [InlineData("part-100.mp4.jpg", 100, "")]
    [InlineData("part-100.mp4.partial", 100, "")]
    public void TryParse_must_read_the_number_and_halves_at_any_width(string name, int number, string halves)
    {
        Assert.True(PartFileName.TryParse(name, out var parsedNumber, out var parsedHalves));
        Assert.Equal((number, halves), (parsedNumber, parsedHalves));
    }

    [Theory]
    [InlineData("part-.mp4")]
    [InlineData("part-05-x.mp4")]
    [InlineData("a001-00001.ts")]
    [InlineData(null)]
    public void TryParse_must_refuse_other_names(string? name) =>
        Assert.False(PartFileName.TryParse(name, out _, out _));

    [Fact]
    public void The_comparer_must_order_by_number_then_halves()
    {
        string[] names = ["part-100.mp4", "part-99.mp4", "part-05b.mp4", "part-05a.mp4", "part-05.mp4", "part-05aa.mp4", "cover.jpg"];
        Assert.Equal(["part-05.mp4", "part-05a.mp4", "part-05aa.mp4", "part-05b.mp4", "part-99.mp4", "part-100.mp4", "cover.jpg"],
            names.Order(PartFileName.Comparer));
    }

    [Fact]
    public void Parts_from_a_number_on_must_be_deleted_past_part_99()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ar-parts-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string[] files = ["part-10.mp4", "part-99.mp4", "part-99.mp4.jpg", "part-100.mp4", "part-100.mp4.jpg", "part-101a.mp4", "part-1000.mp4"];
            foreach (var file in files)
            {
                File.WriteAllText(Path.Combine(dir, file), "");
            }
            SplitExecutor.DeleteLaterParts(dir, 100);
            Assert.Equal(["part-10.mp4", "part-99.mp4", "part-99.mp4.jpg"],
                Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
