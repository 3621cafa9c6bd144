using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class ChannelSettingsSpecs
{
    [Fact]
    public void A_channels_recording_block_must_override_the_global_one_key_by_key()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder {
              recording { poll-interval = 5s, container = mkv }
              channels = [
                { id = plain, url = "https://example.com/plain" }
                { id = custom, url = "https://example.com/custom", recording { container = flv, grace-period = 0s } }
              ]
            }
            """));

        var plain = settings.Channels[0];
        var custom = settings.Channels[1];
        Assert.Equal(settings.Recording, plain.Recording);
        Assert.Equal(Container.Flv, custom.Recording.Container);
        Assert.Equal(TimeSpan.Zero, custom.Recording.GracePeriod);
        Assert.Equal(settings.Recording with { Container = Container.Flv, GracePeriod = TimeSpan.Zero }, custom.Recording);
        Assert.Equal(TimeSpan.FromSeconds(5), custom.Recording.PollInterval);
    }

    [Fact]
    public void Channels_must_keep_their_order_and_default_to_the_generic_resolver()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.channels = [
              { id = "b.2", url = "rtmp://live.example.com/app/key" }
              { id = a_1, url = "https://www.twitch.tv/a", resolver = ytdlp }
              { id = c-3, url = "file:///srv/streams/c.ts" }
            ]
            """));

        Assert.Equal(["b.2", "a_1", "c-3"], settings.Channels.Select(c => c.Id));
        Assert.Equal(["generic", "ytdlp", "generic"], settings.Channels.Select(c => c.Resolver));
        Assert.Equal("rtmp://live.example.com/app/key", settings.Channels[0].Url);
    }

    [Fact]
    public void An_empty_channel_list_must_be_allowed()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("actor-recorder.channels = []"));

        Assert.Empty(settings.Channels);
    }

    [Theory]
    [InlineData("https://example.com/live")]
    [InlineData("http://127.0.0.1:8080/live/index.m3u8")]
    [InlineData("rtmps://live.example.com:443/app/key")]
    [InlineData("rtsp://camera.local/stream1")]
    [InlineData("srt://127.0.0.1:9000?streamid=abc")]
    [InlineData("file:///tmp/stream.ts")]
    public void Every_supported_url_scheme_must_be_accepted(string url)
    {
        var settings = EngineSettings.Load(ConfigText.Parse($"actor-recorder.channels = [ {{ id = a, url = \"{url}\" }} ]"));

        Assert.Equal(url, settings.Channels[0].Url);
    }

    [Fact]
    public void Known_resolvers_must_be_generic_and_ytdlp()
    {
        Assert.Equal(["generic", "ytdlp"], EngineSettings.KnownResolvers.Order(StringComparer.Ordinal));
    }
}
