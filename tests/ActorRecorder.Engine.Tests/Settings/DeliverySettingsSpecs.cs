using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class DeliverySettingsSpecs
{
    private static NodeSettings Load(string text) =>
        EngineSettings.Load(ConfigurationFactory.ParseString(text, new ConfigParseOptions { OriginName = "node.conf" }), "/srv/node");

    [Fact]
    public void Delivery_must_default_to_no_targets_mp4_parts_and_keeping_local_files()
    {
        var channel = Load("actor-recorder.channels = [ { id = a, url = \"https://x.example/a.m3u8\" } ]").Channels.Single();
        Assert.Empty(channel.Delivery.Targets);
        Assert.False(channel.Delivery.DeleteAfterUpload);
        Assert.Equal(PartFormat.Mp4, channel.Delivery.RemuxTo);
        Assert.Equal("/srv/node/archive", channel.Delivery.ArchivePath);
        Assert.Equal(4L << 30, channel.Delivery.MaxPartBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), channel.Delivery.MinSegmentDuration);
    }

    [Fact]
    public void Delivery_settings_must_be_read_and_applied_to_every_channel()
    {
        var settings = Load("""
            actor-recorder.processing { min-segment-duration = 1s, remux-to = ts }
            actor-recorder.upload { targets = [archive], delete-after-upload = on, archive { path = /mnt/archive, max-part-size = 2GiB } }
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8" }, { id = b, url = "https://x.example/b.m3u8" } ]
            """);
        Assert.All(settings.Channels, c =>
        {
            Assert.Equal(["archive"], c.Delivery.Targets);
            Assert.True(c.Delivery.DeleteAfterUpload);
            Assert.Equal(PartFormat.Ts, c.Delivery.RemuxTo);
            Assert.Equal("/mnt/archive", c.Delivery.ArchivePath);
            Assert.Equal(2L << 30, c.Delivery.MaxPartBytes);
        });
    }

    [Theory]
    [InlineData("actor-recorder.upload.targets = [archive, ftp]", "actor-recorder.upload.targets", "unknown upload target 'ftp'")]
    [InlineData("actor-recorder.processing.remux-to = avi", "actor-recorder.processing.remux-to", "use mp4 or ts")]
    [InlineData("actor-recorder.upload.archive.max-part-size = 1kB", "actor-recorder.upload.archive.max-part-size", "at least 1MiB")]
    [InlineData("actor-recorder.upload.delete-after-upload = maybe", "actor-recorder.upload.delete-after-upload", "not on or off")]
    public void A_bad_delivery_setting_must_fail_with_its_position_and_key(string line, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => Load(line));
        Assert.StartsWith("node.conf:1:", ex.Message);
        Assert.Contains(key, ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void The_telegram_target_must_read_its_settings_and_mask_the_token()
    {
        var node = Load("""
            actor-recorder.upload { targets = [telegram], telegram { bot-token = "1:secret", chat-id = "@recordings", max-part-size = 2000MiB, local-mode = on } }
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8" } ]
            """);
        var channel = node.Channels.Single();
        var telegram = channel.Delivery.Telegram!;
        Assert.Equal("@recordings", telegram.ChatId);
        Assert.True(telegram.LocalMode);
        Assert.Equal(2000L * 1024 * 1024, channel.Delivery.MaxPartBytes);
        Assert.Equal(SecretRef.TelegramBotToken, telegram.BotToken); // the settings name it; the node's secrets hold it
        Assert.Equal("1:secret", node.Secrets.Find(telegram.BotToken));
        Assert.DoesNotContain("1:secret", telegram.ToString());
        Assert.DoesNotContain("1:secret", node.Secrets.ToString());
    }

    [Theory]
    [InlineData("actor-recorder.upload { targets = [telegram], telegram.chat-id = \"-100\" }", "actor-recorder.upload.telegram.bot-token", "TELEGRAM_BOT_TOKEN")]
    [InlineData("actor-recorder.upload { targets = [telegram], telegram { bot-token = x, chat-id = \"my chat\" } }", "actor-recorder.upload.telegram.chat-id", "not a chat id")]
    [InlineData("actor-recorder.upload { targets = [telegram], telegram { bot-token = x, chat-id = \"-1\", max-part-size = 3GiB } }", "actor-recorder.upload.telegram.max-part-size", "2000MiB")]
    public void A_bad_telegram_setting_must_fail_with_its_key(string line, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => Load(line));
        Assert.Contains(key, ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void A_channel_must_be_able_to_override_the_upload_targets()
    {
        var settings = Load("""
            actor-recorder.upload { targets = [archive], telegram { bot-token = "1:x", chat-id = "-100" } }
            actor-recorder.channels = [
              { id = a, url = "https://x.example/a.m3u8" }
              { id = b, url = "https://x.example/b.m3u8", upload.targets = [telegram, archive] }
              { id = c, url = "https://x.example/c.m3u8", upload { targets = [] } }
            ]
            """);
        Assert.Equal(["archive"], settings.Channels[0].Delivery.Targets);
        Assert.Equal(["telegram", "archive"], settings.Channels[1].Delivery.Targets);
        Assert.NotNull(settings.Channels[1].Delivery.Telegram);
        Assert.Empty(settings.Channels[2].Delivery.Targets);
    }

    [Fact]
    public void A_channel_naming_telegram_must_require_the_telegram_settings()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("""
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8", upload.targets = [telegram] } ]
            """));
        Assert.Contains("actor-recorder.upload.telegram.bot-token", ex.Message);
        var bad = Assert.Throws<ConfigException>(() => Load("""
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8", upload.targets = [ftp] } ]
            """));
        Assert.Contains("actor-recorder.channels[0].upload.targets", bad.Message);
    }
}
