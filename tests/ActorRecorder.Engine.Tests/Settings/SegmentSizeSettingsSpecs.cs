using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Engine.Tests.Channel;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary><c>recording.segment-size</c>: off by default, per channel, only with MPEG-TS, and handed to each attempt.</summary>
public sealed class SegmentSizeSettingsSpecs
{
    [Fact]
    public void The_size_must_be_read_per_channel_and_reach_each_attempt()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", recording.segment-size = 2GB }
            ]
            """));
        Assert.Equal([0L, 2_000_000_000L], settings.Channels.Select(c => c.Recording.SegmentSize));

        var again = new ChannelScript(ChannelScript.DefaultSettings() is var s ? s with { Recording = s.Recording with { SegmentSize = 2_000_000 } } : null!);
        again.Give(new ConfigureChannel(again.Settings));
        again.Give(new DiskMeasured(long.MaxValue));
        again.Give(ChannelScript.Live());
        Assert.Equal(2_000_000, again.Effect<StartRecorder>().Request.SegmentSize);
    }

    [Fact]
    public void A_size_below_1MB_or_with_another_container_must_be_refused_at_its_key()
    {
        ConfigText.AssertRejected("actor-recorder.recording.segment-size = 500kB", "500kB", "actor-recorder.recording.segment-size",
            "must be 0 (off) or at least 1MB, got 500000 bytes");
        ConfigText.AssertRejected("actor-recorder.recording { container = mkv, segment-size = 2GB }", "2GB", "actor-recorder.recording.segment-size",
            "splitting by size needs container = ts (the recorder cuts an MPEG-TS stream), not mkv");
    }
}
