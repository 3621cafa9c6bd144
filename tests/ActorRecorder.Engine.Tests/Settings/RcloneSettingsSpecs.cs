using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary><c>upload.rclone</c>: read when a node or a channel names rclone, described to the delivery rules like any target, each refusal at its key.</summary>
public sealed class RcloneSettingsSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ar-rclone-settings-" + Guid.NewGuid().ToString("N")[..8]);

    public RcloneSettingsSpecs()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "rclone.conf"), "[s3]\ntype = s3\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_channel_naming_rclone_must_get_its_settings_and_the_rules_a_plain_target()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.upload.rclone { remote = "s3:recordings", config-file = rclone.conf, flags = [ "--bwlimit", "20M" ], max-part-size = 2GiB }
            actor-recorder.channels = [ { id = a, url = "https://x/a", upload.targets = [archive, rclone] } ]
            """), _dir);
        var rclone = settings.Channels[0].Delivery.Rclone!;
        Assert.Equal(("s3:recordings", Path.Combine(_dir, "rclone.conf"), 2L << 30), (rclone.Remote, rclone.ConfigFile, rclone.MaxPartBytes));
        Assert.Equal(["--bwlimit", "20M"], rclone.Flags);
        Assert.Equal(new DeliveryTarget(RcloneTarget.TargetName, 2L << 30), settings.Channels[0].Delivery.Destinations[1]);
        Assert.Equal(2L << 30, settings.Channels[0].Delivery.MaxPartBytes);
    }

    [Fact]
    public void A_missing_remote_or_config_file_must_be_refused_at_its_key()
    {
        ConfigText.AssertRejected("actor-recorder.upload { targets = [rclone], rclone.remote = \"\" }", "\"\"", "actor-recorder.upload.rclone.remote",
            "required when rclone is an upload target", _dir);
        ConfigText.AssertRejected("actor-recorder.upload { targets = [rclone], rclone.remote = \"/srv/rec\" }", "\"/srv/rec\"", "actor-recorder.upload.rclone.remote",
            "'/srv/rec' names no remote; write name:path", _dir);
        ConfigText.AssertRejected("actor-recorder.upload { targets = [rclone], rclone { remote = \"s3:x\", config-file = nope.conf } }", "nope.conf",
            "actor-recorder.upload.rclone.config-file", "nope.conf does not exist", _dir);
    }
}
