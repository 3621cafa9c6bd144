using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class KeyOriginTests
{
    private static ConfigObject Object(Config config, string path) => Assert.IsType<ConfigObject>(config.GetValue(path));

    [Fact]
    public void KeyOrigin_must_point_at_the_key_not_at_its_value()
    {
        var config = Hocon.Parse("a {\n  b = 1\n}");

        Assert.Equal(new ConfigOrigin(null, 1, 1), config.Root.KeyOrigin("a"));
        Assert.Equal(new ConfigOrigin(null, 2, 3), Object(config, "a").KeyOrigin("b"));
        Assert.Equal(new ConfigOrigin(null, 2, 7), config.GetValue("a.b")!.Origin);
    }

    [Fact]
    public void Each_segment_of_a_path_key_must_have_its_own_position()
    {
        var config = Hocon.Parse("  x.y.\"z.w\" = 1");

        Assert.Equal(new ConfigOrigin(null, 1, 3), config.Root.KeyOrigin("x"));
        Assert.Equal(new ConfigOrigin(null, 1, 5), Object(config, "x").KeyOrigin("y"));
        Assert.Equal(new ConfigOrigin(null, 1, 7), Object(config, "x.y").KeyOrigin("z.w"));
    }

    [Fact]
    public void A_key_whose_value_is_a_substitution_must_keep_its_own_position()
    {
        var config = Hocon.Parse("base { k = 1 }\nref = ${base.k}\nuse = ${base}");

        Assert.Equal(new ConfigOrigin(null, 2, 1), config.Root.KeyOrigin("ref"));
        Assert.Equal(new ConfigOrigin(null, 1, 12), config.GetValue("ref")!.Origin);
        // The keys of a substituted object are where that object writes them.
        Assert.Equal(new ConfigOrigin(null, 1, 8), Object(config, "use").KeyOrigin("k"));
    }

    [Fact]
    public void A_key_defined_twice_must_be_at_its_newest_definition()
    {
        var config = Hocon.Parse("a { k = 1, old = 1 }\na { k = 2 }");

        Assert.Equal(new ConfigOrigin(null, 2, 5), Object(config, "a").KeyOrigin("k"));
        Assert.Equal(new ConfigOrigin(null, 1, 12), Object(config, "a").KeyOrigin("old"));
        Assert.Equal(new ConfigOrigin(null, 2, 1), config.Root.KeyOrigin("a"));
    }

    [Fact]
    public void WithFallback_must_keep_each_configs_key_positions()
    {
        var user = ConfigurationFactory.ParseString("a.mine = 1", new ConfigParseOptions { OriginName = "user.conf" });
        var reference = ConfigurationFactory.ParseString("a {\n  theirs = 2\n}", new ConfigParseOptions { OriginName = "reference.conf" });

        var merged = Object(user.WithFallback(reference), "a");

        Assert.Equal(new ConfigOrigin("user.conf", 1, 3), merged.KeyOrigin("mine"));
        Assert.Equal(new ConfigOrigin("reference.conf", 2, 3), merged.KeyOrigin("theirs"));
    }

    [Fact]
    public void KeyOrigin_must_be_null_for_missing_dropped_and_built_keys()
    {
        var config = Hocon.Parse("a = ${?UNSET_IN_THIS_TEST}\nb = 1");
        var built = new ConfigObject([new KeyValuePair<string, ConfigValue>("k", config.GetValue("b")!)]);

        Assert.False(config.Root.ContainsKey("a"));
        Assert.Null(config.Root.KeyOrigin("a"));
        Assert.Null(config.Root.KeyOrigin("absent"));
        Assert.Null(built.KeyOrigin("k"));
    }

    [Fact]
    public void Properties_keys_must_be_at_the_start_of_their_line()
    {
        var config = ConfigurationFactory.ParseString(
            "# comment\nserver.port=80\n  server.host=x",
            new ConfigParseOptions { Syntax = ConfigSyntax.Properties, OriginName = "app.properties" });

        Assert.Equal(new ConfigOrigin("app.properties", 2, 1), config.Root.KeyOrigin("server"));
        Assert.Equal(new ConfigOrigin("app.properties", 3, 1), Object(config, "server").KeyOrigin("host"));
    }

    [Fact]
    public void Masking_secrets_must_keep_key_positions()
    {
        var config = Hocon.Parse("db {\n  password = hunter2\n}");

        var masked = ConfigSecrets.MaskSecrets(config);

        Assert.Equal(new ConfigOrigin(null, 2, 3), Object(masked, "db").KeyOrigin("password"));
    }
}
