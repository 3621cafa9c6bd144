using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-include-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Include_must_resolve_relative_to_the_including_file()
    {
        Write("sub/inner.conf", "x = 1\ninclude \"deeper.conf\"");
        Write("sub/deeper.conf", "y = 2");
        var main = Write("main.conf", "a { include \"sub/inner.conf\" }");

        var config = ConfigurationFactory.ParseFile(main, ConfigResolveOptions.NoEnvironment);

        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void Keys_from_an_include_must_keep_their_position_in_the_included_file()
    {
        var inner = Write("inner.conf", "# settings\n  x = 1");
        var main = Write("main.conf", "a {\n  include \"inner.conf\"\n  y = 2\n}");

        var config = ConfigurationFactory.ParseFile(main, ConfigResolveOptions.NoEnvironment);
        var a = Assert.IsType<ConfigObject>(config.GetValue("a"));

        Assert.Equal(new ConfigOrigin(inner, 2, 3), a.KeyOrigin("x"));
        Assert.Equal(new ConfigOrigin(main, 3, 3), a.KeyOrigin("y"));
    }

    [Fact]
    public void Include_must_merge_with_keys_before_and_after_it()
    {
        Write("inc.conf", "a { from-include = 1, shared = include }\nb = include");
        var main = Write("main.conf", "a { before = 1, shared = main }\ninclude \"inc.conf\"\nb = main");

        var config = ConfigurationFactory.ParseFile(main, ConfigResolveOptions.NoEnvironment);

        Assert.Equal(1, config.GetInt("a.before"));
        Assert.Equal("include", config.GetString("a.shared"));
        Assert.Equal("main", config.GetString("b"));
    }

    [Fact]
    public void Include_without_extension_must_merge_properties_json_then_conf()
    {
        Write("both.properties", "k=prop\np=1");
        Write("both.json", """{ "k": "json", "j": 2 }""");
        Write("both.conf", "k = conf");
        var main = Write("main.conf", "include \"both\"");

        var config = ConfigurationFactory.ParseFile(main, ConfigResolveOptions.NoEnvironment);

        Assert.Equal("conf", config.GetString("k"));
        Assert.Equal("1", config.GetString("p"));
        Assert.Equal(2, config.GetInt("j"));
    }

    [Fact]
    public void Include_of_a_missing_file_must_be_ignored_unless_required()
    {
        var optional = Write("optional.conf", "include \"nope.conf\"\na = 1");
        var required = Write("required.conf", "a = 1\ninclude required(\"nope.conf\")");

        Assert.Equal(1, ConfigurationFactory.ParseFile(optional).GetInt("a"));
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(required));
        Assert.Contains("required include \"nope.conf\" not found", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public void Include_must_accept_file_and_required_file_forms()
    {
        Write("f.conf", "f = 1");
        Write("g.conf", "g = 2");
        var main = Write("main.conf", "include file(\"f.conf\")\ninclude required( file( \"g.conf\" ) )");

        var config = ConfigurationFactory.ParseFile(main);

        Assert.Equal(1, config.GetInt("f"));
        Assert.Equal(2, config.GetInt("g"));
    }

    [Fact]
    public void Include_must_refuse_url_and_classpath_clearly()
    {
        foreach (var form in new[] { "url(\"http://example.com/a.conf\")", "classpath(\"a.conf\")", "\"https://example.com/a.conf\"" })
        {
            var main = Write("main.conf", "\n  include " + form);

            var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(main));

            Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
            Assert.Equal(2, e.Line);
            Assert.Equal(3, e.Column);
        }
    }

    [Fact]
    public void Include_substitutions_must_be_fixed_up_to_the_include_location()
    {
        Write("foo.conf", "x = 10\ny = ${x}\nz = ${top}");
        var main = Write("main.conf", "top = root-value\na { include \"foo.conf\" }\na { x = 42 }");

        var config = ConfigurationFactory.ParseFile(main, ConfigResolveOptions.NoEnvironment);

        Assert.Equal(42, config.GetInt("a.y"));
        Assert.Equal("root-value", config.GetString("a.z"));
    }

    [Fact]
    public void Include_cycle_must_fail_with_the_files_involved()
    {
        Write("a.conf", "include \"b.conf\"");
        Write("b.conf", "include \"a.conf\"");

        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(Path.Combine(_dir, "a.conf")));

        Assert.Contains("include cycle: a.conf -> b.conf -> a.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_errors_must_point_into_the_included_file()
    {
        Write("bad.conf", "ok = 1\nbroken = ]");
        var main = Write("main.conf", "include \"bad.conf\"");

        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(main));

        Assert.EndsWith("bad.conf", e.File, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
        Assert.Equal(10, e.Column);
    }

    [Fact]
    public void Include_of_an_array_root_must_fail()
    {
        Write("list.json", "[1, 2]");
        var main = Write("main.conf", "include \"list.json\"");

        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(main));

        Assert.Contains("must be an object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_from_a_string_without_a_base_directory_must_fail_clearly()
    {
        var e = Hocon.ParseError("include \"x.conf\"");

        Assert.Contains("not read from a file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_with_a_malformed_argument_must_fail_at_the_argument()
    {
        var e = Hocon.ParseError("include foo");

        Hocon.AssertPosition(e, 1, 12);
        Assert.Contains("include must be followed by a quoted name", e.Message, StringComparison.Ordinal);
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
