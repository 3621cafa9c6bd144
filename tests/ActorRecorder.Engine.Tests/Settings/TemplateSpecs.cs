using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary>Templates: defaults, then each named template in order, then the channel's own keys; every mistake named where it is.</summary>
public sealed class TemplateSpecs
{
    // Lines 1-6; a channel list appended to it starts on line 7.
    private const string Templates = """
        actor-recorder.recording { segment-duration = 10m, grace-period = 2m }
        actor-recorder.templates {
          twitch { resolver = ytdlp, recording { segment-duration = 30m, container = mkv } }
          short-grace { recording { grace-period = 20s, segment-duration = 5m } }
          no-upload { upload { targets = [] } }
        }

        """;

    private static ChannelSettings Channel(string channel) =>
        EngineSettings.Load(ConfigText.Parse(Templates + "actor-recorder.channels = [ " + channel + " ]")).Channels.Single();

    [Fact]
    public void A_template_must_fill_the_keys_the_channel_does_not_set_and_leave_the_rest_to_the_defaults()
    {
        var channel = Channel("""{ id = a, url = "https://x/y", template = twitch }""");
        Assert.Equal("ytdlp", channel.Resolver);
        Assert.Equal(TimeSpan.FromMinutes(30), channel.Recording.SegmentDuration);
        Assert.Equal(Container.Mkv, channel.Recording.Container);
        Assert.Equal(TimeSpan.FromMinutes(2), channel.Recording.GracePeriod); // the node's default

        var plain = Channel("""{ id = a, url = "https://x/y" }""");
        Assert.Equal(TimeSpan.FromMinutes(10), plain.Recording.SegmentDuration); // a template applies only where it is named
    }

    [Fact]
    public void Templates_named_in_a_list_must_apply_in_order_and_the_channel_s_own_keys_must_win()
    {
        var ordered = Channel("""{ id = a, url = "https://x/y", template = [twitch, short-grace] }""");
        Assert.Equal(TimeSpan.FromMinutes(5), ordered.Recording.SegmentDuration); // the later template wins
        Assert.Equal(TimeSpan.FromSeconds(20), ordered.Recording.GracePeriod);
        Assert.Equal(Container.Mkv, ordered.Recording.Container); // only the earlier one sets it

        var reversed = Channel("""{ id = a, url = "https://x/y", template = [short-grace, twitch] }""");
        Assert.Equal(TimeSpan.FromMinutes(30), reversed.Recording.SegmentDuration);

        var own = Channel("""{ id = a, url = "https://x/y", resolver = generic, template = [twitch, short-grace], recording { segment-duration = 1m } }""");
        Assert.Equal("generic", own.Resolver);
        Assert.Equal(TimeSpan.FromMinutes(1), own.Recording.SegmentDuration);
        Assert.Equal(TimeSpan.FromSeconds(20), own.Recording.GracePeriod);
    }

    [Fact]
    public void A_template_s_upload_targets_must_override_the_node_s_list()
    {
        var channel = Channel("""{ id = a, url = "https://x/y", template = no-upload }""");
        Assert.Empty(channel.Delivery.Targets);
    }

    [Fact]
    public void A_template_that_names_telegram_must_require_the_telegram_settings()
    {
        const string Text = """
            actor-recorder.templates { to-telegram { upload { targets = [telegram] } } }
            actor-recorder.channels = [ { id = a, url = "https://x/y", template = to-telegram } ]
            """;
        var ex = Assert.Throws<ConfigException>(() => EngineSettings.Load(ConfigText.Parse(Text)));
        Assert.Equal("actor-recorder.upload.telegram.bot-token", ex.Path);
    }

    [Fact]
    public void An_unknown_template_must_be_named_with_the_ones_defined()
    {
        const string Text = Templates + """actor-recorder.channels = [ { id = a, url = "https://x/y", template = [twitch, twich] } ]""";
        ConfigText.AssertRejected(Text, "[twitch, twich]", "actor-recorder.channels[0].template",
            "unknown template 'twich'; defined: no-upload, short-grace, twitch");
    }

    [Fact]
    public void A_template_named_twice_or_not_a_name_must_be_refused_where_it_is_written()
    {
        ConfigText.AssertRejected(Templates + """actor-recorder.channels = [ { id = a, url = "https://x/y", template = [twitch, twitch] } ]""",
            "[twitch, twitch]", "actor-recorder.channels[0].template", "names a template twice");
        ConfigText.AssertRejected(Templates + """actor-recorder.channels = [ { id = a, url = "https://x/y", template = { a = b } } ]""",
            "{ a = b }", "actor-recorder.channels[0].template", "expected a template name or a list of names");
    }

    [Fact]
    public void A_template_must_not_set_a_key_that_names_one_channel_and_a_typo_in_it_must_be_suggested()
    {
        ConfigText.AssertRejected("""actor-recorder.templates { t { url = "https://x/y" } }""",
            "url", "actor-recorder.templates.t.url", "unknown key 'url'");
        ConfigText.AssertRejected("actor-recorder.templates { t { recording { segment-duraton = 5m } } }",
            "segment-duraton", "actor-recorder.templates.t.recording.segment-duraton", "did you mean 'segment-duration'?");
    }

    [Fact]
    public void A_bad_value_in_a_template_must_be_reported_at_the_template_s_line()
    {
        const string Text = "actor-recorder.templates {\n  t { recording { segment-duration = soon } }\n}\nactor-recorder.channels = [ { id = a, url = \"https://x/y\", template = t } ]";
        var ex = Assert.Throws<ConfigException>(() => EngineSettings.Load(ConfigText.Parse(Text)));
        Assert.Equal(ConfigText.FileName, ex.File);
        Assert.Equal(2, ex.Line);
        Assert.EndsWith("recording.segment-duration", ex.Path);
    }

    [Fact]
    public void A_template_that_is_not_an_object_or_has_a_bad_name_must_be_refused()
    {
        ConfigText.AssertRejected("actor-recorder.templates { t = 5 }", "5", "actor-recorder.templates.t", "expected a template object");
        var ex = Assert.Throws<ConfigException>(() => EngineSettings.Load(ConfigText.Parse("actor-recorder.templates { \"Big Name\" { } }")));
        Assert.Contains("template name 'Big Name' is not allowed", ex.Reason);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Explaining_a_channel_must_name_where_each_effective_value_was_set()
    {
        var text = Templates + "actor-recorder.channels = [\n  { id = a, url = \"https://x/y\", template = [twitch, short-grace], recording { poll-interval = 5s } }\n]";
        var explained = EngineSettings.ExplainChannel(ConfigText.Parse(text), Directory.GetCurrentDirectory(), "a").ToDictionary(s => s.Key);

        Assert.Equal("5m", explained["recording.segment-duration"].Value);
        Assert.StartsWith($"{ConfigText.FileName}:4:", explained["recording.segment-duration"].Origin); // short-grace's line
        Assert.StartsWith($"{ConfigText.FileName}:3:", explained["recording.container"].Origin); // twitch's line
        Assert.StartsWith($"{ConfigText.FileName}:8:", explained["recording.poll-interval"].Origin); // the channel's own
        Assert.Equal("20s", explained["recording.grace-period"].Value);
        Assert.StartsWith($"{ConfigText.FileName}:8:", explained["url"].Origin);
        Assert.DoesNotContain(ConfigText.FileName, explained["recording.stall-timeout"].Origin); // the reference's default
        Assert.Equal("ytdlp", explained["resolver"].Value);

        var missing = Assert.Throws<ConfigException>(() => EngineSettings.ExplainChannel(ConfigText.Parse(text), Directory.GetCurrentDirectory(), "b"));
        Assert.Contains("no channel 'b'; its channels: a", missing.Message);
    }
}
