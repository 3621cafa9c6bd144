using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class SubstitutionTests
{
    [Fact]
    public void Substitution_must_look_forward_to_the_final_value()
    {
        var config = Hocon.Parse("a = ${b}\nb = 1\nb = 2");

        Assert.Equal(2, config.GetInt("a"));
    }

    [Fact]
    public void Substitution_must_preserve_the_type_of_a_lone_value()
    {
        var config = Hocon.Parse("x { y = [1, 2] }\na = ${x}\nb = ${x.y}\nc = ${n}\nn = null");

        Assert.IsType<ConfigObject>(config.GetValue("a"));
        Assert.IsType<ConfigList>(config.GetValue("b"));
        Assert.IsType<ConfigNull>(config.GetValue("c"));
    }

    [Fact]
    public void Substitution_must_concatenate_into_strings_with_numbers_as_written()
    {
        var config = Hocon.Parse("n = 1.50\nanimal = dog\na = ${animal} is my ${n} favorite\nb = ${animal}\" friend\"");

        Assert.Equal("dog is my 1.50 favorite", config.GetString("a"));
        Assert.Equal("dog friend", config.GetString("b"));
    }

    [Fact]
    public void Substitution_must_support_object_inheritance_and_array_appending()
    {
        var config = Hocon.Parse(
            "generic = { size = 6, name = generic }\neast = ${generic} { name = east }\npath = [ /bin ]\npath = ${path} [ /usr/bin ]");

        Assert.Equal(6, config.GetInt("east.size"));
        Assert.Equal("east", config.GetString("east.name"));
        Assert.Equal(["/bin", "/usr/bin"], config.GetStringList("path"));
    }

    [Fact]
    public void Self_reference_must_see_the_previous_value()
    {
        var config = Hocon.Parse("path = \"a:b:c\"\npath = ${path}\":d\"\nfoo { a = 1 }\nfoo = ${foo}");

        Assert.Equal("a:b:c:d", config.GetString("path"));
        Assert.Equal(1, config.GetInt("foo.a"));
    }

    [Fact]
    public void Self_reference_through_a_sub_path_must_look_below_the_field()
    {
        var config = Hocon.Parse("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }");

        Hocon.AssertSame("""{ "foo": { "a": 2, "c": 1 } }""", config.ToString());
    }

    [Fact]
    public void Plus_equals_must_append_and_may_start_a_list()
    {
        var config = Hocon.Parse("a = [1]\na += 2\na += 3\nb += x\nc { d += 1, d += 2 }");

        Assert.Equal(["1", "2", "3"], config.GetStringList("a"));
        Assert.Equal(["x"], config.GetStringList("b"));
        Assert.Equal(["1", "2"], config.GetStringList("c.d"));
    }

    [Fact]
    public void Plus_equals_on_a_non_list_must_fail()
    {
        var e = Hocon.ParseError("a = 1\na += 2");

        Assert.Contains("cannot concatenate", e.Message, StringComparison.Ordinal);
        Assert.Equal("a", e.Path);
    }

    [Fact]
    public void Optional_substitution_must_remove_the_field_or_keep_the_earlier_value()
    {
        var config = Hocon.Parse("a = ${?nope}\nb = 1\nb = ${?nope}\nc = ${?x}${?y}\nd = [1, ${?nope}, 2]\ne = ${?nope} tail\nf = ${?f}foo");

        Assert.False(config.HasPath("a"));
        Assert.Equal(1, config.GetInt("b"));
        Assert.False(config.HasPath("c"));
        Assert.Equal(["1", "2"], config.GetStringList("d"));
        Assert.Equal("tail", config.GetString("e"));
        Assert.Equal("foo", config.GetString("f"));
    }

    [Fact]
    public void Hidden_substitution_must_never_be_evaluated()
    {
        var config = Hocon.Parse("foo = ${does-not-exist}\nfoo = 42\nbar = ${bar}\nbar = 1");

        Assert.Equal(42, config.GetInt("foo"));
        Assert.Equal(1, config.GetInt("bar"));
    }

    [Fact]
    public void Objects_must_refer_to_paths_within_themselves_and_to_each_other()
    {
        var config = Hocon.Parse(
            "bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }\nx : { a : ${y.d}, b : 1 }\nx.b = 3\ny : { c : ${x.b}, d : 2 }\ny.d = 4");

        Assert.Equal(43, config.GetInt("bar.baz"));
        Assert.Equal(4, config.GetInt("x.a"));
        Assert.Equal(3, config.GetInt("y.c"));
    }

    [Fact]
    public void Substitution_must_be_memoized_so_both_sides_agree()
    {
        var config = Hocon.Parse("a : 1\nb : 2\na : ${b}\nb : ${a}");

        Assert.Equal(config.GetInt("a"), config.GetInt("b"));
    }

    [Fact]
    public void Cycle_must_fail_with_the_chain_and_a_position()
    {
        var e = Hocon.ParseError("a : ${b}\nb : ${c}\nc : ${a}");

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Contains("${b}", e.Message, StringComparison.Ordinal);
        Assert.Contains("${c}", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Line);
        Assert.NotNull(e.Path);
    }

    [Fact]
    public void Self_reference_without_an_earlier_value_must_fail_unless_optional()
    {
        var e = Hocon.ParseError("foo : ${foo}");

        Assert.Contains("refers to itself", e.Message, StringComparison.Ordinal);
        Hocon.AssertPosition(e, 1, 7);
        Assert.False(Hocon.Parse("foo : ${?foo}").HasPath("foo"));
    }

    [Fact]
    public void Reference_into_its_own_object_must_be_a_cycle()
    {
        var e = Hocon.ParseError("a : { b : ${a} }");

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Missing_substitution_must_name_the_expression_and_its_position()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigurationFactory.ParseString("x {\n  y = ${missing.key}\n}", new ConfigParseOptions { OriginName = "app.conf" }, ConfigResolveOptions.NoEnvironment));

        Assert.Equal("app.conf:2:7: at 'x.y': could not resolve substitution ${missing.key}: no such setting", e.Message);
        Assert.Equal("app.conf", e.File);
    }

    [Fact]
    public void Environment_must_be_the_fallback_for_undefined_substitutions()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/me", ["PORT"] = "8080", ["EMPTY"] = "" };
        var config = Hocon.Parse("home = ${HOME}\nport = ${PORT}\nempty = ${?EMPTY}\npath = ${?HOME}/bin", env.GetValueOrDefault);

        Assert.Equal("/home/me", config.GetString("home"));
        Assert.IsType<ConfigString>(config.GetValue("port"));
        Assert.Equal(8080, config.GetInt("port"));
        Assert.Equal("", config.GetString("empty"));
        Assert.Equal("/home/me/bin", config.GetString("path"));
    }

    [Fact]
    public void Environment_must_extend_a_self_referential_variable()
    {
        var config = Hocon.Parse("PATH = ${PATH}\":/opt/bin\"", name => name == "PATH" ? "/usr/bin" : null);

        Assert.Equal("/usr/bin:/opt/bin", config.GetString("PATH"));
    }

    [Fact]
    public void A_null_setting_must_block_the_environment_lookup()
    {
        var config = Hocon.Parse("HOME = null\nhome = ${HOME}", _ => "/from/env");

        Assert.IsType<ConfigNull>(config.GetValue("home"));
    }

    [Fact]
    public void Environment_must_not_be_consulted_when_disabled()
    {
        var options = new ConfigResolveOptions { UseEnvironment = false, EnvironmentLookup = _ => "leaked" };

        var config = ConfigurationFactory.ParseString("a = ${?HOME}", resolveOptions: options);

        Assert.False(config.HasPath("a"));
    }

    [Fact]
    public void Substitutions_must_not_explode_exponentially()
    {
        var lines = new List<string> { "a0 = [1, 2]" };
        for (var i = 1; i <= 40; i++)
        {
            lines.Add($"a{i} = ${{a{i - 1}}} ${{a{i - 1}}}");
        }

        var e = Hocon.ParseError(string.Join('\n', lines));

        Assert.Contains("too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_substitution_chains_must_fail_cleanly_or_resolve()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => $"k{i} = ${{k{i + 1}}}").Append("k20000 = end");

        Config? config = null;
        var exception = Record.Exception(() => config = Hocon.Parse(string.Join('\n', lines)));

        // How long a chain fits depends on the thread's stack; either outcome is fine, a crash is not.
        if (exception is null)
        {
            Assert.Equal("end", config!.GetString("k0"));
        }
        else
        {
            Assert.Contains("too deep", Assert.IsType<ConfigException>(exception).Message, StringComparison.Ordinal);
        }
    }
}
