using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class ParserErrorTests
{
    [Theory]
    [InlineData("a {\n  ]\n}", 2, 3, "expected '}' or a key, found ']'")]
    [InlineData("a = \"abc", 1, 5, "unterminated quoted string")]
    [InlineData("a { b = 1", 1, 10, "expected '}' to close the object opened at 1:3")]
    [InlineData("a = [1, 2", 1, 10, "expected ']' to close the array opened at 1:5")]
    [InlineData("a = b^c", 1, 6, "reserved character '^'")]
    [InlineData("a b", 1, 4, "expected ':', '=' or '{' after the key '\"a b\"', found end of input")]
    [InlineData("a = ", 1, 5, "expected a value, found end of input")]
    [InlineData("a = [1,,2]", 1, 8, "expected a value, found ','")]
    [InlineData("a = \"\\q\"", 1, 6, "invalid escape '\\q'")]
    [InlineData("a = \"x\ny\"", 1, 7, "newline inside a quoted string")]
    [InlineData("a..b = 1", 1, 1, "empty path element")]
    [InlineData(".a = 1", 1, 1, "empty path element")]
    [InlineData("a${b} = 1", 1, 2, "substitutions are not allowed in keys")]
    [InlineData("a = [1] { b = 1 }", 1, 9, "cannot concatenate an object with an array")]
    [InlineData("x = 1\n[1]", 2, 1, "expected a key, found '['")]
    [InlineData("[1]", 1, 1, "the root of a configuration must be an object")]
    [InlineData("a = 1 b = 2", 1, 9, "expected ',' or a newline after the value, found '='")]
    [InlineData("a = \"\"\"never closed", 1, 5, "unterminated triple-quoted string")]
    [InlineData("a = ${x${y}}", 1, 8, "substitutions cannot be nested")]
    [InlineData("a = ${}", 1, 5, "empty substitution")]
    [InlineData("a = ${x\n}", 1, 8, "expected '}' to close the substitution, found newline")]
    [InlineData("{ a = 1 } b", 1, 11, "expected end of input after the root object's closing '}'")]
    [InlineData("a = 1 + 2", 1, 7, "reserved character '+'")]
    [InlineData("a = $x", 1, 5, "reserved character '$'")]
    [InlineData("include required(\"x\" extra", 1, 22, "expected ) to close the include, found 'extra'")]
    [InlineData("a = \"\\u12\"", 1, 6, "\\u must be followed by four hexadecimal digits")]
    public void Parse_error_must_report_line_column_and_reason(string text, int line, int column, string reason)
    {
        var e = Hocon.ParseError(text);

        Hocon.AssertPosition(e, line, column);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_message_must_be_file_line_column_path_reason()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString(
            "actor-recorder {\n  channels {\n    a = 1\n    ]\n  }\n}",
            new ConfigParseOptions { OriginName = "channels.conf" }));

        Assert.Equal("channels.conf:4:5: at 'actor-recorder.channels': expected '}' or a key, found ']'", e.Message);
        Assert.Equal("channels.conf", e.File);
        Assert.Equal("actor-recorder.channels", e.Path);
        Assert.Equal("expected '}' or a key, found ']'", e.Reason);
    }

    [Fact]
    public void Deep_nesting_must_fail_with_a_clear_error_instead_of_overflowing()
    {
        var arrays = Hocon.ParseError("a = " + new string('[', 100_000));
        var objects = Hocon.ParseError(string.Concat(Enumerable.Repeat("a {", 100_000)));

        Assert.Contains("nesting too deep", arrays.Message, StringComparison.Ordinal);
        Hocon.AssertPosition(arrays, 1, 4 + Guard.MaxDepth + 1);
        Assert.Contains("nesting too deep", objects.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_limit_must_still_parse()
    {
        var depth = Guard.MaxDepth - 1;
        var text = "a = " + new string('[', depth) + new string(']', depth);

        var config = Hocon.Parse(text);

        Assert.IsType<ConfigList>(config.GetValue("a"));
        Assert.NotEmpty(config.ToString());
        Assert.NotEmpty(config.ToJson());
    }

    [Fact]
    public void Reading_a_missing_file_must_fail_with_a_config_exception()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(Path.Combine(Path.GetTempPath(), "no-such-dir-hocon", "x.conf")));

        Assert.Contains("cannot read configuration file", e.Message, StringComparison.Ordinal);
    }
}
