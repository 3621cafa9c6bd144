namespace ActorRecorder.Telegram.Tests;

public sealed class CaptionTemplateSpecs
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["channel"] = "Alice",
        ["title"] = "Late stream",
        ["start"] = "2026-11-21 04:00",
        ["part"] = "2",
        ["parts"] = "3",
        ["duration"] = "59:59",
    };

    [Fact]
    public void Render_must_fill_every_known_placeholder()
    {
        var caption = CaptionTemplate.Render("{channel} · {title}\n{start} part {part}/{parts} ({duration})", Values);

        Assert.Equal("Alice · Late stream\n2026-11-21 04:00 part 2/3 (59:59)", caption);
    }

    [Fact]
    public void Render_must_leave_unknown_placeholders_and_stray_braces_as_written()
    {
        var caption = CaptionTemplate.Render("{channel} {unknown} {{part}} {open", Values);

        Assert.Equal("Alice {unknown} {2} {open", caption);
    }

    [Fact]
    public void Render_must_cut_the_result_to_1024_characters()
    {
        var caption = CaptionTemplate.Render("{title}", new Dictionary<string, string> { ["title"] = new string('t', 5000) });

        Assert.Equal(1024, caption.Length);
    }

    [Fact]
    public void Truncate_must_not_split_a_surrogate_pair()
    {
        var text = new string('a', 1023) + "😀";

        Assert.Equal(new string('a', 1023), CaptionTemplate.Truncate(text));
        Assert.Equal(text, CaptionTemplate.Truncate(text, 1025));
    }
}
