using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Engine.Tests.Channel;
using ActorRecorder.Platforms.Quality;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary><c>recording.quality</c>: read and checked, per node, per channel and per template; the monitor gets it; the attempt names the choice.</summary>
public sealed class QualitySettingsSpecs
{
    private static NodeSettings Load(string text) => EngineSettings.Load(ConfigText.Parse(text));

    [Fact]
    public void The_quality_must_default_to_best_and_read_as_a_list_or_a_string_with_commas()
    {
        Assert.Equal("best", Load("actor-recorder.channels = [ { id = a, url = \"https://x/y\" } ]").Channels[0].Recording.Quality);
        var list = Load("actor-recorder.recording.quality = [1080p, 720p60, best]\nactor-recorder.channels = [ { id = a, url = \"https://x/y\" } ]");
        Assert.Equal("1080p, 720p60, best", list.Channels[0].Recording.Quality);
        Assert.Equal([StreamQuality.Parse("1080p")!, StreamQuality.Parse("720p60")!, StreamQuality.Best], list.Channels[0].Recording.Qualities);
        var text = Load("actor-recorder.channels = [ { id = a, url = \"https://x/y\", recording { quality = \"720p, audio-only\" } } ]");
        Assert.Equal("720p, audio-only", text.Channels[0].Recording.Quality);
    }

    [Fact]
    public void A_channel_or_template_must_override_the_node_s_quality()
    {
        var settings = Load("""
            actor-recorder.recording.quality = 720p
            actor-recorder.templates { low { recording { quality = worst } } }
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", template = low }
              { id = c, url = "https://x/c", template = low, recording { quality = [1080p, best] } }
            ]
            """);
        Assert.Equal(["720p", "worst", "1080p, best"], settings.Channels.Select(c => c.Recording.Quality));
    }

    [Fact]
    public void An_unknown_or_repeated_or_empty_quality_must_be_refused_at_its_key()
    {
        ConfigText.AssertRejected("actor-recorder.recording.quality = [1080p, hd]", "[1080p, hd]", "actor-recorder.recording.quality",
            "unknown quality 'hd'; use best, worst, audio-only or a height with an optional frame rate such as 1080p or 720p60");
        ConfigText.AssertRejected("actor-recorder.recording.quality = \"best, best\"", "\"best, best\"", "actor-recorder.recording.quality", "names best twice");
        ConfigText.AssertRejected("actor-recorder.recording.quality = []", "[]", "actor-recorder.recording.quality", "must name at least one quality");
    }

    [Fact]
    public void The_monitor_must_get_the_list_and_the_attempt_must_name_what_the_resolver_chose()
    {
        var settings = ChannelScript.DefaultSettings() is var s ? s with { Recording = s.Recording with { Quality = "720p60, best" } } : null!;
        var script = new ChannelScript(settings);
        script.Give(new ConfigureChannel(settings));
        Assert.Equal([StreamQuality.Parse("720p60")!, StreamQuality.Best], script.Effect<StartMonitor>().Qualities);

        script.Give(ChannelScript.Live() with { Quality = "720p60: 720p60 (1280x720, 3.0 Mbit/s)" });
        Assert.Equal("720p60: 720p60 (1280x720, 3.0 Mbit/s)", Assert.Single(script.Journal.OfType<RecordingAttemptStarted>()).Quality);

        script.Give(new ConfigureChannel(settings with { Recording = settings.Recording with { Quality = "1080p" } }));
        Assert.Equal([StreamQuality.Parse("1080p")!], script.Effect<StartMonitor>().Qualities); // a new list restarts the monitor
    }
}
