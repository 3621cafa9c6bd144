using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class ConfigApiTests
{
    private static readonly Config Sample = ConfigurationFactory.ParseString(
        """
        actor-recorder {
          actors {
            mailbox-capacity = 1000
            ask-timeout = 5s
            name = kernel
            verbose = yes
            quiet = off
            enabled = true
            ratio = 0.75
            big = 9000000000
            numeric-text = "42"
            nothing = null
            tags = [a, b, 3]
            channels = [ { name = one }, { name = two } ]
          }
        }
        """,
        new ConfigParseOptions { OriginName = "app.conf" },
        ConfigResolveOptions.NoEnvironment);

    private static readonly Config Actors = Sample.GetConfig("actor-recorder.actors");

    [Fact]
    public void Getters_must_read_each_type()
    {
        Assert.Equal("kernel", Actors.GetString("name"));
        Assert.Equal(1000, Actors.GetInt("mailbox-capacity"));
        Assert.Equal(9_000_000_000L, Actors.GetLong("big"));
        Assert.Equal(0.75, Actors.GetDouble("ratio"));
        Assert.True(Actors.GetBoolean("enabled"));
        Assert.True(Actors.GetBoolean("verbose"));
        Assert.False(Actors.GetBoolean("quiet"));
        Assert.Equal(42, Actors.GetInt("numeric-text"));
        Assert.Equal("1000", Actors.GetString("mailbox-capacity"));
        Assert.Equal(["a", "b", "3"], Actors.GetStringList("tags"));
        Assert.Equal(["one", "two"], Actors.GetConfigList("channels").Select(c => c.GetString("name")));
    }

    [Fact]
    public void Missing_setting_must_throw_naming_the_path()
    {
        var e = Assert.Throws<ConfigException>(() => Sample.GetInt("actor-recorder.actors.absent"));

        Assert.Equal("actor-recorder.actors.absent", e.Path);
        Assert.Contains("at 'actor-recorder.actors.absent': missing setting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_overloads_must_apply_to_missing_and_null_settings_only()
    {
        Assert.Equal(7, Actors.GetInt("absent", 7));
        Assert.Equal("x", Actors.GetString("nothing", "x"));
        Assert.Equal(TimeSpan.FromSeconds(1), Actors.GetTimeSpan("absent", TimeSpan.FromSeconds(1)));
        Assert.Equal(1000, Actors.GetInt("mailbox-capacity", 7));
        Assert.True(Actors.GetBoolean("absent", true));
        Assert.Equal(["d"], Actors.GetStringList("absent", ["d"]));
        Assert.True(Actors.GetConfig("absent", Config.Empty).IsEmpty);
        Assert.Throws<ConfigException>(() => Actors.GetInt("name", 7));
    }

    [Fact]
    public void Null_setting_must_throw_without_a_default()
    {
        var e = Assert.Throws<ConfigException>(() => Actors.GetString("nothing"));

        Assert.Contains("null", e.Reason, StringComparison.Ordinal);
        Assert.Equal("app.conf", e.File);
    }

    [Fact]
    public void Wrong_type_must_name_the_path_and_where_the_value_was_defined()
    {
        var e = Assert.Throws<ConfigException>(() => Sample.GetInt("actor-recorder.actors.name"));

        Assert.Equal("app.conf:5:12: at 'actor-recorder.actors.name': expected an integer (32-bit), found the string \"kernel\"", e.Message);
    }

    [Fact]
    public void Integer_getters_must_reject_fractions_and_overflow()
    {
        Assert.Throws<ConfigException>(() => Actors.GetInt("ratio"));
        Assert.Throws<ConfigException>(() => Actors.GetInt("big"));
        Assert.Equal(3, Hocon.Parse("a = 3.0").GetInt("a"));
    }

    [Fact]
    public void Boolean_getter_must_reject_other_words()
    {
        var e = Assert.Throws<ConfigException>(() => Hocon.Parse("a = maybe").GetBoolean("a"));

        Assert.Contains("true/yes/on or false/no/off", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasPath_must_be_false_for_missing_and_null()
    {
        Assert.True(Sample.HasPath("actor-recorder.actors.name"));
        Assert.True(Sample.HasPath("actor-recorder"));
        Assert.False(Sample.HasPath("actor-recorder.actors.nothing"));
        Assert.False(Sample.HasPath("actor-recorder.nope.deeper"));
        Assert.False(Sample.HasPath("actor-recorder.actors.name.deeper"));
    }

    [Fact]
    public void Getters_must_accept_quoted_path_segments()
    {
        var config = Hocon.Parse("\"a.b\" { c = 1 }");

        Assert.Equal(1, config.GetInt("\"a.b\".c"));
        Assert.False(config.HasPath("a.b.c"));
    }

    [Fact]
    public void Invalid_getter_path_must_throw_a_config_exception()
    {
        Assert.Throws<ConfigException>(() => Sample.GetString("a..b"));
        Assert.Throws<ConfigException>(() => Sample.GetString(""));
        Assert.Throws<ConfigException>(() => Sample.GetString("a = b"));
    }

    [Fact]
    public void WithFallback_must_merge_objects_with_the_receiver_winning()
    {
        var user = Hocon.Parse("a { x = 1 }\nb = user");
        var reference = Hocon.Parse("a { x = 0, y = 2 }\nb = ref\nc = ref");

        var merged = user.WithFallback(reference);

        Assert.Equal(1, merged.GetInt("a.x"));
        Assert.Equal(2, merged.GetInt("a.y"));
        Assert.Equal("user", merged.GetString("b"));
        Assert.Equal("ref", merged.GetString("c"));
    }

    [Fact]
    public void WithFallback_must_not_merge_objects_separated_by_a_non_object()
    {
        var merged = Hocon.Parse("a { x = 1 }").WithFallback(Hocon.Parse("a = 42")).WithFallback(Hocon.Parse("a { y = 2 }"));

        Assert.False(merged.HasPath("a.y"));
        Assert.Equal(1, merged.GetInt("a.x"));
    }

    [Fact]
    public void Numerically_indexed_objects_must_read_as_lists()
    {
        var config = ConfigurationFactory.ParseString("list.2=c\nlist.0=a\nlist.x=ignored", new ConfigParseOptions { Syntax = ConfigSyntax.Properties });

        Assert.Equal(["a", "c"], config.GetStringList("list"));
        Assert.Equal(["x", "a", "c"], Hocon.Parse("a = [x] ${l}\nl { \"0\" = a, \"1\" = c }").GetStringList("a"));
    }

    [Fact]
    public void Config_list_getter_must_reject_non_objects()
    {
        var e = Assert.Throws<ConfigException>(() => Actors.GetConfigList("tags"));

        Assert.Contains("expected a list of objects", e.Message, StringComparison.Ordinal);
    }
}
