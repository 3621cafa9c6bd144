using System.Text.Json;
using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class RenderingTests
{
    private const string Tricky = """
        plain = value
        "dotted.key" { "" = empty-key, "with space" = 1 }
        include-like { "include" = 1, "true" = 2, "42" = 3 }
        strings = [ "quote \" backslash \\ newline \n tab \t", "${not.a.substitution}", "// not a comment", "" ]
        numbers = [ 42, 42.0, -1.5e10, 007 ]
        flags = [ true, false, null ]
        nested { deeper { list = [ { a = 1 }, [], {} ] } }
        unicode = "é ✓ \u0001"
        """;

    [Fact]
    public void ToString_must_render_hocon_that_parses_back_to_an_equal_value()
    {
        var config = Hocon.Parse(Tricky);

        var rendered = config.ToString();
        var reparsed = Hocon.Parse(rendered);

        ValueEquality.AssertEqual(config.Root, reparsed.Root);
        Assert.Equal(rendered, reparsed.ToString());
    }

    [Fact]
    public void ToJson_must_render_valid_json_with_the_same_content()
    {
        var config = Hocon.Parse(Tricky);

        var json = config.ToJson();
        using var document = JsonDocument.Parse(json);
        var reparsed = ConfigurationFactory.ParseString(json, new ConfigParseOptions { Syntax = ConfigSyntax.Json });

        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        ValueEquality.AssertEqual(config.Root, reparsed.Root);
    }

    [Fact]
    public void ToString_must_keep_numbers_as_written()
    {
        var rendered = Hocon.Parse("a = 42.0\nb = 1e5").ToString();

        Assert.Equal("a = 42.0\nb = 1e5\n", rendered);
    }

    [Fact]
    public void Value_ToString_must_render_a_single_value()
    {
        var config = Hocon.Parse("a = [1, x]");

        Assert.Equal("[\n  1\n  \"x\"\n]\n", config.GetValue("a")!.ToString());
    }
}
