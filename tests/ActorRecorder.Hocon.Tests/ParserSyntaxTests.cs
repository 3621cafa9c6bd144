using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class ParserSyntaxTests
{
    [Fact]
    public void Parser_must_accept_plain_json()
    {
        var config = Hocon.Parse("""{ "a": { "b": [1, 2.5, "x", true, false, null] } }""");

        var list = Assert.IsType<ConfigList>(config.GetValue("a.b"));
        Assert.Equal(6, list.Count);
        Assert.Equal("2.5", Assert.IsType<ConfigNumber>(list[1]).Text);
        Assert.IsType<ConfigNull>(list[5]);
    }

    [Fact]
    public void Parser_must_skip_both_comment_styles()
    {
        var config = Hocon.Parse("a = 1 // one\n# hash comment\nb = 2 # two\nc = \"not // a comment\"");

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal("not // a comment", config.GetString("c"));
    }

    [Fact]
    public void Parser_must_accept_omitted_root_braces_and_both_separators()
    {
        Hocon.AssertSame("""{ "a": 1, "b": 2 }""", "a = 1\nb : 2");
    }

    [Fact]
    public void Parser_must_accept_an_object_value_without_a_separator()
    {
        Hocon.AssertSame("""{ "a": { "b": 1 } }""", "a { b = 1 }");
    }

    [Fact]
    public void Parser_must_treat_newlines_as_commas_and_allow_trailing_commas()
    {
        Hocon.AssertSame("""{ "a": 1, "b": [1, 2, 3] }""", "a = 1,\nb = [\n  1\n  2,\n  3,\n],\n");
    }

    [Fact]
    public void Parser_must_concatenate_unquoted_strings_keeping_inner_whitespace()
    {
        var config = Hocon.Parse("a =   foo bar   42 true  \nb = foo\"quoted\"");

        Assert.Equal("foo bar   42 true", config.GetString("a"));
        Assert.Equal("fooquoted", config.GetString("b"));
    }

    [Fact]
    public void Parser_must_keep_a_single_value_typed()
    {
        var config = Hocon.Parse("a = true\nb = 42\nc = null");

        Assert.IsType<ConfigBoolean>(config.GetValue("a"));
        Assert.IsType<ConfigNumber>(config.GetValue("b"));
        Assert.IsType<ConfigNull>(config.GetValue("c"));
    }

    [Fact]
    public void Parser_must_split_keywords_and_numbers_at_the_start_of_unquoted_text()
    {
        var config = Hocon.Parse("a = truefoo\nb = 10.0bar\nc = footrue\nd = 1.2.3");

        Assert.Equal("truefoo", config.GetString("a"));
        Assert.Equal("10.0bar", config.GetString("b"));
        Assert.Equal("footrue", config.GetString("c"));
        Assert.Equal("1.2.3", config.GetString("d"));
    }

    [Fact]
    public void Parser_must_keep_numbers_as_written()
    {
        var config = Hocon.Parse("a = 42\nb = 42.0\nc = 1e5\nd = -0.5");

        Assert.Equal("42.0", Assert.IsType<ConfigNumber>(config.GetValue("b")).Text);
        Assert.Equal("1e5", config.GetString("c"));
        Assert.True(Assert.IsType<ConfigNumber>(config.GetValue("a")).ValueEquals(Assert.IsType<ConfigNumber>(config.GetValue("b"))));
        Assert.Equal(-0.5, config.GetDouble("d"));
    }

    [Fact]
    public void Parser_must_read_triple_quoted_strings_raw()
    {
        var config = Hocon.Parse("a = \"\"\"line1\n  \\n \"quoted\" \"\"\"\nb = \"\"\"x\"\"\"\"\"");

        Assert.Equal("line1\n  \\n \"quoted\" ", config.GetString("a"));
        Assert.Equal("x\"\"", config.GetString("b"));
    }

    [Fact]
    public void Parser_must_process_json_escapes_in_quoted_strings()
    {
        var config = Hocon.Parse("""a = "tab\there \u00e9 \"q\" \\ \/" """);

        Assert.Equal("tab\there é \"q\" \\ /", config.GetString("a"));
    }

    [Fact]
    public void Parser_must_expand_path_keys_and_respect_quoted_dots()
    {
        var config = Hocon.Parse("a.b.\"c.d\" = 1\n\"x.y\" = 2\n3.14 = pi\ntrue = yes");

        Assert.Equal(1, config.GetInt("a.b.\"c.d\""));
        Assert.Equal(2, config.GetInt("\"x.y\""));
        Assert.Equal("pi", config.GetString("3.14"));
        Assert.True(config.Root.ContainsKey("true"));
        Assert.True(config.Root.ContainsKey("3"));
    }

    [Fact]
    public void Parser_must_keep_whitespace_inside_keys_and_allow_empty_quoted_segments()
    {
        var config = Hocon.Parse("a b c = 1\na.\"\".b = 2");

        Assert.Equal(1, config.GetInt("\"a b c\""));
        Assert.Equal(2, config.GetInt("a.\"\".b"));
    }

    [Fact]
    public void Parser_must_merge_duplicate_object_keys()
    {
        Hocon.AssertSame("""{ "foo": { "a": 42, "b": 43, "c": { "x": 1, "y": 2 } } }""",
            "foo { a = 42, c { x = 1 } }\nfoo { b = 43, c { y = 2 } }");
    }

    [Fact]
    public void Parser_must_let_a_non_object_value_break_the_merge()
    {
        Hocon.AssertSame("""{ "foo": { "b": 43 } }""", "foo { a = 42 }\nfoo = null\nfoo { b = 43 }");
        Hocon.AssertSame("""{ "foo": 7 }""", "foo { a = 42 }\nfoo = 7");
    }

    [Fact]
    public void Parser_must_concatenate_arrays_and_merge_adjacent_objects()
    {
        var config = Hocon.Parse("a = [1, 2] [3, 4]\nb = { x = 1 } { y = 2 }\nc = [ [1, 2] [3, 4] ]\nd = [ 1 2 3 ]");

        Assert.Equal(4, Assert.IsType<ConfigList>(config.GetValue("a")).Count);
        Assert.Equal(2, config.GetConfig("b").Root.Count);
        Assert.Single(Assert.IsType<ConfigList>(config.GetValue("c")));
        Assert.Equal(["1 2 3"], config.GetStringList("d"));
    }

    [Fact]
    public void Parser_must_treat_include_as_an_ordinary_word_outside_key_position()
    {
        var config = Hocon.Parse("foo include = 1\nbar = include\nlist = [ include ]\n\"include\" = 2");

        Assert.Equal(1, config.GetInt("\"foo include\""));
        Assert.Equal("include", config.GetString("bar"));
        Assert.Equal(["include"], config.GetStringList("list"));
        Assert.Equal(2, config.GetInt("\"include\""));
    }

    [Fact]
    public void Parser_must_treat_unicode_separators_and_bom_as_whitespace()
    {
        var config = Hocon.Parse("\uFEFFa\u00A0=\u2007 1\u202F\n");

        Assert.Equal(1, config.GetInt("a"));
    }

    [Fact]
    public void Parser_must_accept_an_empty_document()
    {
        Assert.True(Hocon.Parse("").IsEmpty);
        Assert.True(Hocon.Parse("  // nothing\n\n").IsEmpty);
        Assert.True(Hocon.Parse("{}").IsEmpty);
    }

    [Fact]
    public void Parser_must_keep_key_order()
    {
        var config = Hocon.Parse("z = 1\na = 2\nm = 3\na = 4");

        Assert.Equal(["z", "a", "m"], config.Root.Keys);
    }

    [Fact]
    public void Parser_must_record_value_origins()
    {
        var config = ConfigurationFactory.ParseString("a {\n  b =  5\n}", new ConfigParseOptions { OriginName = "x.conf" });

        var origin = config.GetValue("a.b")!.Origin!;
        Assert.Equal(new ConfigOrigin("x.conf", 2, 8), origin);
    }

    [Fact]
    public void Properties_syntax_must_give_strings_and_nested_objects()
    {
        var config = ConfigurationFactory.ParseString(
            "# comment\n! also a comment\na.b=1\na.c : two words\nd true\nlong = first \\\n    second\nesc=\\u0041\\t",
            new ConfigParseOptions { Syntax = ConfigSyntax.Properties });

        Assert.Equal("1", Assert.IsType<ConfigString>(config.GetValue("a.b")).Value);
        Assert.Equal("two words", config.GetString("a.c"));
        Assert.Equal("true", Assert.IsType<ConfigString>(config.GetValue("d")).Value);
        Assert.Equal("first second", config.GetString("long"));
        Assert.Equal("A\t", config.GetString("esc"));
    }

    [Fact]
    public void Properties_syntax_must_let_the_object_win_over_a_string()
    {
        var config = ConfigurationFactory.ParseString("a=hello\na.b=world", new ConfigParseOptions { Syntax = ConfigSyntax.Properties });

        Assert.Equal("world", config.GetString("a.b"));
    }

    [Fact]
    public void Json_syntax_must_reject_hocon_extensions()
    {
        var json = new ConfigParseOptions { Syntax = ConfigSyntax.Json };
        foreach (var text in new[] { "a = 1", "{ a: 1 }", "{ \"a\": 1 // c\n }", "{ \"a\": 1, }", "{ \"a\": [1 2] }", "{ \"a\": ${b} }" })
        {
            var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString(text, json));
            Assert.NotNull(e.Line);
        }
    }
}
