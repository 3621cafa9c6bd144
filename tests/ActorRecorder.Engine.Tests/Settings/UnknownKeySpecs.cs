using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class UnknownKeySpecs : IDisposable
{
    private const string Url = "url = \"https://example.com/live\"";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("engine-unknown-keys-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void A_typo_in_a_section_must_fail_at_the_key_suggesting_the_valid_one()
    {
        var text = "actor-recorder.recording {\n  poll-interval = 10s\n  grace-perod = 5m\n}\n";

        var ex = ConfigText.AssertRejected(text, "grace-perod", "actor-recorder.recording.grace-perod", "unknown key 'grace-perod'; did you mean 'grace-period'?");

        Assert.Equal("node.conf:3:3: at 'actor-recorder.recording.grace-perod': unknown key 'grace-perod'; did you mean 'grace-period'?", ex.Message);
    }

    [Fact]
    public void A_typo_in_a_path_key_must_fail_at_its_own_segment()
    {
        var text = "actor-recorder.recording.segment-duraton = 5m\n";

        ConfigText.AssertRejected(text, "segment-duraton", "actor-recorder.recording.segment-duraton", "did you mean 'segment-duration'?");
    }

    [Fact]
    public void A_typo_in_a_nested_block_must_name_the_full_path()
    {
        var text = "actor-recorder.upload {\n  targets = [archive]\n  telegram {\n    chat-di = \"-1001\"\n  }\n}\n";

        ConfigText.AssertRejected(text, "chat-di", "actor-recorder.upload.telegram.chat-di", "unknown key 'chat-di'; did you mean 'chat-id'?");
    }

    [Fact]
    public void A_typo_in_a_channel_must_name_the_channels_index()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Url} }}\n  {{ id = b, {Url}, recordng {{ container = mkv }} }}\n]\n";

        ConfigText.AssertRejected(text, "recordng", "actor-recorder.channels[1].recordng", "unknown key 'recordng'; did you mean 'recording'?");
    }

    [Fact]
    public void A_typo_in_a_channels_recording_block_must_suggest_a_key_of_actor_recorder_recording()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Url}, recording {{ container = mkv, stall-timout = 1m }} }}\n]\n";

        ConfigText.AssertRejected(text, "stall-timout", "actor-recorder.channels[0].recording.stall-timout",
            "unknown key 'stall-timout'; did you mean 'stall-timeout'?");
    }

    [Fact]
    public void A_channels_upload_block_must_take_only_targets()
    {
        // The targets' own settings stay the node's: a channel cannot set its telegram chat.
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Url}, upload {{ targets = [archive], telegram.chat-id = \"-1\" }} }}\n]\n";

        ConfigText.AssertRejected(text, "telegram", "actor-recorder.channels[0].upload.telegram", "unknown key 'telegram'; valid keys here: targets");
    }

    [Fact]
    public void An_unknown_section_must_fail_listing_the_sections()
    {
        var text = "actor-recorder {\n  node.data-dir = state\n  archiving { path = /srv }\n}\n";

        ConfigText.AssertRejected(text, "archiving", "actor-recorder.archiving",
            "unknown key 'archiving'; valid keys here: channels, cluster, hooks, management, node, persistence, processing, proxy, recording, storage, templates, tools, upload");
    }

    [Fact]
    public void An_unknown_channel_key_without_a_close_match_must_list_the_channel_keys()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Url}, name = \"A\" }}\n]\n";

        ConfigText.AssertRejected(text, "name", "actor-recorder.channels[0].name",
            "unknown key 'name'; valid keys here: cookies-file, hooks, id, proxy, recording, resolver, storage, template, upload, url, urls");
    }

    [Theory]
    [InlineData("actor-recorder.recordings.container = mkv", "recordings", "actor-recorder.recordings", "recording")]
    [InlineData("actor-recorder.recording.Poll-Interval = 5s", "Poll-Interval", "actor-recorder.recording.Poll-Interval", "poll-interval")]
    [InlineData("actor-recorder.persistence.sqlite.pth = x.db", "pth", "actor-recorder.persistence.sqlite.pth", "path")]
    [InlineData("actor-recorder.upload.telegram.parallelsim = 5", "parallelsim", "actor-recorder.upload.telegram.parallelsim", "parallelism")]
    public void The_suggestion_must_be_the_closest_valid_key_at_that_level(string line, string marker, string path, string suggestion)
    {
        ConfigText.AssertRejected(line, marker, path, $"unknown key '{marker}'; did you mean '{suggestion}'?");
    }

    [Fact]
    public void A_key_that_needs_quotes_must_be_quoted_in_the_path()
    {
        var text = "actor-recorder.recording { \"output.dir\" = x }";

        ConfigText.AssertRejected(text, "\"output.dir\"", "actor-recorder.recording.\"output.dir\"", "unknown key 'output.dir'");
    }

    [Fact]
    public void A_key_whose_value_is_a_substitution_must_fail_at_the_key_not_at_the_value()
    {
        var text = "delay = 5m\nactor-recorder.recording.grace-perod = ${delay}\n";

        ConfigText.AssertRejected(text, "grace-perod", "actor-recorder.recording.grace-perod", "did you mean 'grace-period'?");
    }

    [Fact]
    public void A_key_brought_in_by_substitution_must_fail_where_it_is_written()
    {
        var text = "defaults { container = mkv, segment-duraton = 30m }\nactor-recorder.recording = ${defaults}\n";

        ConfigText.AssertRejected(text, "segment-duraton", "actor-recorder.recording.segment-duraton", "did you mean 'segment-duration'?");
    }

    [Fact]
    public void Keys_outside_actor_recorder_and_an_akka_block_must_be_accepted()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            source = "https://example.com/live"
            my-defaults { container = mkv, anything-at-all = 1 }
            akka {
              loglevel = DEBUG
              actor.provider = cluster
              remote.artery.canonical { hostname = "10.0.0.1", port = 2552 }
            }
            actor-recorder {
              recording.container = ${my-defaults.container}
              channels = [ { id = a, url = ${source} } ]
            }
            """));

        Assert.Equal("https://example.com/live", Assert.Single(settings.Channels).Url);
        Assert.Equal(Media.Ffmpeg.Container.Mkv, settings.Recording.Container);
    }

    [Fact]
    public void Every_key_of_the_reference_must_be_accepted_in_a_users_file()
    {
        // Taken as set, the variables bring in the keys whose default is an environment variable (bot-token,
        // connection-string): a user may write those keys even when the variables are unset.
        var text = ReferenceConfSpecs.ReadEmbeddedReference();
        var reference = ConfigurationFactory.ParseString(text, new ConfigParseOptions { OriginName = "reference.conf" },
            new ConfigResolveOptions { EnvironmentLookup = static name => name.EndsWith("_PORT", StringComparison.Ordinal) ? "9999" : "from-the-environment" });
        Assert.Equal("from-the-environment", reference.GetString("actor-recorder.upload.telegram.bot-token"));

        var settings = EngineSettings.Load(reference);

        Assert.Empty(settings.Channels);
    }

    [Fact]
    public void Keys_whose_default_is_an_unset_environment_variable_must_be_accepted()
    {
        var settings = EngineSettings.Load(ConfigText.Parse($$"""
            actor-recorder {
              persistence.postgres.connection-string = "Host=db"
              upload { targets = [telegram], telegram { bot-token = "1:secret", chat-id = "-1001" } }
              channels = [ { id = a, {{Url}} } ]
            }
            """));

        Assert.Equal(SecretRef.TelegramBotToken, Assert.Single(settings.Channels).Delivery.Telegram?.BotToken);
        Assert.Equal("1:secret", settings.Secrets.Find(SecretRef.TelegramBotToken));
    }

    [Fact]
    public void The_quickstart_conf_must_be_accepted()
    {
        var settings = EngineSettings.LoadFile(Path.Combine(AppContext.BaseDirectory, "quickstart.conf"));

        Assert.Equal("demo", Assert.Single(settings.Channels).Id);
    }

    [Fact]
    public void A_key_from_an_include_must_fail_at_its_position_in_the_included_file()
    {
        var included = Path.Combine(_root.FullName, "recording.conf");
        File.WriteAllText(included, "# shared by every node\ncontainer = mkv\nsegment-duraton = 30m\n");
        var file = Path.Combine(_root.FullName, "node.conf");
        File.WriteAllText(file, "actor-recorder.recording {\n  include \"recording.conf\"\n}\n");

        var ex = Assert.Throws<ConfigException>(() => EngineSettings.LoadFile(file));

        Assert.Equal(included, ex.File);
        Assert.True(ex.Line == 3 && ex.Column == 1, $"expected recording.conf:3:1, got {ex.Line}:{ex.Column}: {ex.Message}");
        Assert.Equal("actor-recorder.recording.segment-duraton", ex.Path);
        Assert.Equal("unknown key 'segment-duraton'; did you mean 'segment-duration'?", ex.Reason);
    }

    [Fact]
    public void LoadFile_must_refuse_a_file_with_a_typo()
    {
        var file = Path.Combine(_root.FullName, "node.conf");
        File.WriteAllText(file, "actor-recorder {\n  recording.grace-perod = 5m\n}\n");

        var ex = Assert.Throws<ConfigException>(() => EngineSettings.LoadFile(file));

        Assert.Equal($"{file}:2:13: at 'actor-recorder.recording.grace-perod': unknown key 'grace-perod'; did you mean 'grace-period'?", ex.Message);
    }

    [Fact]
    public void A_known_key_holding_an_object_must_fail_as_a_wrong_type_not_as_unknown_keys()
    {
        var ex = Assert.Throws<ConfigException>(() => EngineSettings.Load(ConfigText.Parse("actor-recorder.recording.container { kind = mkv }")));

        Assert.Equal("actor-recorder.recording.container", ex.Path);
        Assert.DoesNotContain("unknown key", ex.Reason);
    }
}
