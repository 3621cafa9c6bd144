using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary><c>storage.retention</c> and <c>hooks</c>: node defaults, a channel's keys over them, and each refusal at its key.</summary>
public sealed class StorageAndHookSettingsSpecs
{
    private static NodeSettings Load(string text) => EngineSettings.Load(ConfigText.Parse(text), "/etc/rec");

    [Fact]
    public void Retention_must_be_off_by_default_and_a_channel_must_override_it_key_by_key()
    {
        Assert.False(Load("actor-recorder.channels = [ { id = a, url = \"https://x/a\" } ]").Channels[0].Retention.Enabled);
        var settings = Load("""
            actor-recorder.storage.retention { max-age = 30d, min-free-disk-action = purge }
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", storage.retention.max-size = 2GiB }
            ]
            """);
        Assert.Equal(new RetentionSettings(TimeSpan.FromDays(30), 0, true), settings.Channels[0].Retention);
        Assert.Equal(new RetentionSettings(TimeSpan.FromDays(30), 2L << 30, true), settings.Channels[1].Retention);
    }

    [Fact]
    public void A_retention_value_out_of_range_must_be_refused_at_its_key()
    {
        ConfigText.AssertRejected("actor-recorder.storage.retention.max-age = 30s", "30s", "actor-recorder.storage.retention.max-age",
            "must be 0 (off) or at least 1m, got 30 s");
        ConfigText.AssertRejected("actor-recorder.storage.retention.max-size = 1000", "1000", "actor-recorder.storage.retention.max-size",
            "must be 0 (off) or at least 1MiB, got 1000 bytes");
        ConfigText.AssertRejected("actor-recorder.storage.retention.min-free-disk-action = delete", "delete",
            "actor-recorder.storage.retention.min-free-disk-action", "'delete' is not allowed; use stop or purge");
    }

    [Fact]
    public void Hooks_must_default_to_none_apply_to_every_channel_and_be_overridden_key_by_key()
    {
        Assert.False(Load("actor-recorder.channels = [ { id = a, url = \"https://x/a\" } ]").Channels[0].Hooks.Any);
        var settings = Load("""
            actor-recorder.hooks { session-ended = [ "hooks/ended.sh", "--all" ], timeout = 1m }
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", hooks { session-ended = [], part-delivered = [ notify-send, part ] } }
            ]
            """);
        Assert.Equal(["/etc/rec/hooks/ended.sh", "--all"], settings.Channels[0].Hooks.SessionEnded);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Channels[0].Hooks.Timeout);
        Assert.Empty(settings.Channels[1].Hooks.SessionEnded);
        Assert.Equal(["notify-send", "part"], settings.Channels[1].Hooks.PartDelivered); // a bare name is looked up on PATH
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Channels[1].Hooks.Timeout);
    }

    [Fact]
    public void A_hook_that_is_not_a_command_list_must_be_refused_at_its_key()
    {
        ConfigText.AssertRejected("actor-recorder.hooks.session-ended = \"/bin/notify.sh --all\"", "\"/bin/notify.sh", "actor-recorder.hooks.session-ended",
            "expected a command and its arguments as a list");
        ConfigText.AssertRejected("actor-recorder.hooks.part-delivered = [ \"\" ]", "[ \"\" ]", "actor-recorder.hooks.part-delivered",
            "the command (the list's first item) is empty");
        ConfigText.AssertRejected("actor-recorder.hooks.timeout = 2d", "2d", "actor-recorder.hooks.timeout", "must be at most 24h");
    }
}
