using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary>A channel's several URLs, its cookies file, and the telegram backup chat and WAITING timeout.</summary>
public sealed class SourcesAndCookiesSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ar-cookies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Urls_must_be_read_in_priority_order_with_their_resolvers()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.channels = [ { id = a, urls = [
              { url = "https://www.twitch.tv/a", resolver = ytdlp }
              { url = "https://cdn.example.com/a/index.m3u8" }
            ] } ]
            """));

        var channel = settings.Channels[0];
        Assert.Equal([new ChannelSource("https://www.twitch.tv/a", "ytdlp"), new ChannelSource("https://cdn.example.com/a/index.m3u8", "generic")], channel.Sources);
        Assert.Equal(("https://www.twitch.tv/a", "ytdlp"), (channel.Url, channel.Resolver));
    }

    [Theory]
    [InlineData("{ id = a, url = \"https://x/y\", urls = [ { url = \"https://x/z\" } ] }", "\"https://x/y", "url", "either url (and resolver) or urls, not both")]
    [InlineData("{ id = a, urls = [] }", "[]", "urls", "non-empty list")]
    [InlineData("{ id = a, urls = \"https://x/y\" }", "\"https", "urls", "non-empty list")]
    [InlineData("{ id = a, urls = [ \"https://x/y\" ] }", "\"https", "urls[0]", "expected a source object")]
    [InlineData("{ id = a, urls = [ { url = \"ftp://x/y\" } ] }", "\"ftp", "urls[0].url", "unsupported scheme 'ftp'")]
    [InlineData("{ id = a, urls = [ { url = \"https://x/y\", resolver = magic } ] }", "magic", "urls[0].resolver", "unknown resolver 'magic'")]
    [InlineData("{ id = a, urls = [ { url = \"https://x/y\" }, { url = \"https://x/y\" } ] }", "\"https", "urls[1].url", "listed twice", 2)]
    [InlineData("{ id = a, urls = [ { url = \"https://x/y\", priority = 1 } ] }", "priority", "urls[0].priority", "unknown key 'priority'")]
    public void A_bad_urls_list_must_name_the_file_line_column_and_key(string channel, string marker, string key, string reason, int occurrence = 1)
    {
        ConfigText.AssertRejected($"actor-recorder.channels = [\n  {channel}\n]\n", marker, "actor-recorder.channels[0]." + key, reason, occurrence);
    }

    [Fact]
    public void A_cookies_file_must_be_read_as_a_full_path_once_checked()
    {
        var path = Path.Combine(_dir, "cookies.txt");
        File.WriteAllText(path, "# Netscape HTTP Cookie File\n.twitch.tv\tTRUE\t/\tTRUE\t1893456000\tauth-token\tsecret-value\n");

        var settings = EngineSettings.Load(ConfigText.Parse($"actor-recorder.channels = [ {{ id = a, url = \"https://x/y\", cookies-file = \"{path}\" }} ]"));

        Assert.Equal(path, settings.Channels[0].CookiesFile);
    }

    [Theory]
    [InlineData(null, "does not exist")]
    [InlineData("# Netscape HTTP Cookie File\n", "holds no cookie")]
    [InlineData(".twitch.tv\tTRUE\t/\tTRUE\t1893456000\tauth-token\n", "line 1 is not a Netscape cookie: it has 6 tab-separated fields")]
    [InlineData("# c\n.x.tv\tTRUE\t/\tmaybe\t0\tn\tsecret-value\n", "line 2 is not a Netscape cookie: fields 2 and 4 must be TRUE or FALSE")]
    [InlineData(".x.tv\tTRUE\t/\tFALSE\tsoon\tn\tsecret-value\n", "the expiry (field 5) is not a number")]
    public void A_bad_cookies_file_must_be_refused_naming_the_line_but_never_a_cookie(string? content, string reason)
    {
        var path = Path.Combine(_dir, "cookies.txt");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }
        var text = $"actor-recorder.channels = [\n  {{ id = a, url = \"https://x/y\", cookies-file = \"{path}\" }}\n]\n";

        var ex = ConfigText.AssertRejected(text, "\"" + path, "actor-recorder.channels[0].cookies-file", reason);
        Assert.DoesNotContain("secret-value", ex.Message);
    }

    [Fact]
    public void An_unreadable_cookies_file_must_be_refused()
    {
        if (Environment.UserName == "root")
        {
            return; // root reads any file: nothing to refuse (CI runs the suite as a user too)
        }
        var path = Path.Combine(_dir, "cookies.txt");
        File.WriteAllText(path, ".x.tv\tTRUE\t/\tFALSE\t0\tn\tv\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.None);
        }
        var text = $"actor-recorder.channels = [\n  {{ id = a, url = \"https://x/y\", cookies-file = \"{path}\" }}\n]\n";

        ConfigText.AssertRejected(text, "\"" + path, "actor-recorder.channels[0].cookies-file", "cannot be read");
    }

    [Fact]
    public void The_backup_chat_and_the_waiting_timeout_must_be_read_and_checked()
    {
        const string Telegram = "actor-recorder.channels = [ { id = a, url = \"https://x/y\" } ]\nactor-recorder.upload { targets = [telegram], telegram { bot-token = \"1:x\", chat-id = \"-1001\"";
        var settings = EngineSettings.Load(ConfigText.Parse(Telegram + ", backup-chat-id = \"-1002\", waiting-timeout = 2h } }"));
        Assert.Equal("-1002", settings.Channels[0].Delivery.Telegram!.BackupChatId);
        Assert.Equal(TimeSpan.FromHours(2), settings.Channels[0].Delivery.Telegram!.WaitingTimeout);
        Assert.Equal(["telegram", TelegramTarget.BackupName], settings.Channels[0].Delivery.Destinations.Select(t => t.Name));

        var defaults = EngineSettings.Load(ConfigText.Parse(Telegram + " } }"));
        Assert.Null(defaults.Channels[0].Delivery.Telegram!.BackupChatId);
        Assert.Equal(TimeSpan.FromHours(24), defaults.Channels[0].Delivery.Telegram!.WaitingTimeout);
        Assert.Equal(["telegram"], defaults.Channels[0].Delivery.Destinations.Select(t => t.Name));

        ConfigText.AssertRejected(Telegram + ",\n backup-chat-id = \"not a chat\" } }", "\"not a chat", "actor-recorder.upload.telegram.backup-chat-id", "is not a chat id");
        ConfigText.AssertRejected(Telegram + ",\n backup-chat-id = \"-1001\" } }", "\"-1001\" }", "actor-recorder.upload.telegram.backup-chat-id", "a backup goes to another chat");
        ConfigText.AssertRejected(Telegram + ",\n waiting-timeout = 0s } }", "0s", "actor-recorder.upload.telegram.waiting-timeout", "at least 1s");

        var discussion = EngineSettings.Load(ConfigText.Parse(Telegram + ", discussion { chat-id = \"-1003\", template = \"{title}\" } } }")).Channels[0].Delivery.Telegram!;
        Assert.Equal(("-1003", "{title}"), (discussion.DiscussionChatId, discussion.DiscussionTemplate));
        Assert.Null(defaults.Channels[0].Delivery.Telegram!.DiscussionChatId);
        ConfigText.AssertRejected(Telegram + ",\n discussion.chat-id = \"group\" } }", "\"group", "actor-recorder.upload.telegram.discussion.chat-id", "is not a chat id");
        ConfigText.AssertRejected(Telegram + ",\n discussion.chat-id = \"-1001\" } }", "\"-1001\" }", "actor-recorder.upload.telegram.discussion.chat-id", "linked discussion group");
        ConfigText.AssertRejected(Telegram + ", discussion { chat-id = \"-1003\",\n template = \" \" } } }", "\" \"", "actor-recorder.upload.telegram.discussion.template", "must not be empty");
    }

    [Fact]
    public void The_compressed_copy_must_be_off_by_default_and_read_and_checked_when_on()
    {
        const string Node = "actor-recorder.channels = [ { id = a, url = \"https://x/y\" } ]\n"
            + "actor-recorder.upload { targets = [telegram, archive], archive.path = arc, telegram { bot-token = \"1:x\", chat-id = \"-1001\", max-part-size = 50MB } }\n";
        Assert.Null(EngineSettings.Load(ConfigText.Parse(Node)).Channels[0].Delivery.Compress);

        var on = EngineSettings.Load(ConfigText.Parse(Node + "actor-recorder.processing.compress { enabled = on, target-size = 20MB, targets = [archive, telegram] }"));
        Assert.Equal(new CompressSettings(20_000_000, ["archive", "telegram"]).TargetBytes, on.Channels[0].Delivery.Compress!.TargetBytes);
        Assert.Equal(["archive", "telegram"], on.Channels[0].Delivery.Compress!.Targets);

        const string Compress = "actor-recorder.processing.compress {\n enabled = on, ";
        ConfigText.AssertRejected(Node + Compress + "target-size = 60MB }", "60MB", "actor-recorder.processing.compress.target-size", "more than the telegram max-part-size");
        ConfigText.AssertRejected(Node + Compress + "target-size = 100kB }", "100kB", "actor-recorder.processing.compress.target-size", "at least 1MiB");
        ConfigText.AssertRejected(Node + Compress + "targets = [] }", "[]", "actor-recorder.processing.compress.targets", "names no target");
        ConfigText.AssertRejected(Node + Compress + "targets = [youtube] }", "[youtube]", "actor-recorder.processing.compress.targets", "unknown upload target 'youtube'");
        ConfigText.AssertRejected(Node + "actor-recorder.processing.compress {\n enabled = maybe }", "maybe", "actor-recorder.processing.compress.enabled", "is not on or off");
        ConfigText.AssertRejected("actor-recorder.channels = [ { id = a, url = \"https://x/y\" } ]\nactor-recorder.upload.targets = [archive]\n" + Compress + "targets = [telegram] }",
            "[telegram]", "actor-recorder.processing.compress.targets", "not configured");
    }
}
