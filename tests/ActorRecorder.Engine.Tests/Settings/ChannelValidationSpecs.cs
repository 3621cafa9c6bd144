using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class ChannelValidationSpecs
{
    private const string Ok = "url = \"https://example.com/live\"";

    [Theory]
    [InlineData("\"Bad Id\"")]
    [InlineData("\"UPPER\"")]
    [InlineData("\"a/b\"")]
    [InlineData("\"\"")]
    [InlineData("\".\"")]
    [InlineData("\"..\"")]
    [InlineData("\"tail\\n\"")]
    public void A_channel_id_outside_the_allowed_pattern_must_fail(string id)
    {
        var text = $"actor-recorder.channels = [\n  {{ id = \"fine\", {Ok} }}\n  {{ id = {id}, {Ok} }}\n]\n";

        ConfigText.AssertRejected(text, id, "actor-recorder.channels[1].id", "use lower-case letters, digits, '.', '_' and '-'");
    }

    [Fact]
    public void A_channel_id_longer_than_64_characters_must_fail()
    {
        var id = new string('a', 65);
        var text = $"actor-recorder.channels = [\n  {{ id = {id}, {Ok} }}\n]\n";

        ConfigText.AssertRejected(text, id, "actor-recorder.channels[0].id", "is 65 characters long");
    }

    [Fact]
    public void A_channel_id_of_64_characters_must_be_allowed()
    {
        var id = new string('a', 64);

        var settings = EngineSettings.Load(ConfigText.Parse($"actor-recorder.channels = [ {{ id = {id}, {Ok} }} ]"));

        Assert.Equal(id, settings.Channels[0].Id);
    }

    [Fact]
    public void A_channel_without_an_id_must_fail_at_the_channel()
    {
        var text = $"actor-recorder.channels = [\n  {{ {Ok} }}\n]\n";

        ConfigText.AssertRejected(text, "{ url", "actor-recorder.channels[0].id", "missing: every channel needs an id");
    }

    [Fact]
    public void A_duplicate_channel_id_must_fail_at_the_second_naming_the_first()
    {
        var text = $"""
            actor-recorder.channels = [
              {"{"} id = twin, {Ok} {"}"}
              {"{"} id = other, {Ok} {"}"}
              {"{"} id = twin, url = "https://example.com/again" {"}"}
            ]
            """;
        var (firstLine, firstColumn) = ConfigText.PositionOf(text, "twin");

        var ex = ConfigText.AssertRejected(text, "twin", "actor-recorder.channels[2].id", "duplicate channel id 'twin'", occurrence: 2);

        Assert.Contains($"actor-recorder.channels[0].id at {ConfigText.FileName}:{firstLine}:{firstColumn}", ex.Reason);
        Assert.Contains("must be unique", ex.Reason);
    }

    [Fact]
    public void A_channel_without_a_url_must_fail_at_the_channel()
    {
        var text = "actor-recorder.channels = [\n  { id = a }\n]\n";

        ConfigText.AssertRejected(text, "{ id", "actor-recorder.channels[0].url",
            "missing: every channel needs a url, an absolute URL with scheme http, https, rtmp, rtmps, rtsp, srt, file");
    }

    [Theory]
    [InlineData("\"example.com/live\"", "is not an absolute URL; expected one with scheme http, https, rtmp, rtmps, rtsp, srt, file")]
    [InlineData("\"/srv/streams/a.ts\"", "is not an absolute URL")]
    [InlineData("\"https://example.com/my live\"", "contain no whitespace")]
    [InlineData("\"\"", "it must be non-empty")]
    [InlineData("\"ftp://example.com/a.ts\"", "unsupported scheme 'ftp' in 'ftp://example.com/a.ts'; use one of http, https, rtmp, rtmps, rtsp, srt, file")]
    [InlineData("\"mailto:someone@example.com\"", "unsupported scheme 'mailto'")]
    public void A_bad_channel_url_must_fail_saying_what_is_valid(string url, string reason)
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a,\n    url = {url} }}\n]\n";

        ConfigText.AssertRejected(text, url, "actor-recorder.channels[0].url", reason);
    }

    [Fact]
    public void An_unknown_resolver_must_fail_listing_the_known_ones()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Ok}, resolver = streamlink }}\n]\n";

        ConfigText.AssertRejected(text, "streamlink", "actor-recorder.channels[0].resolver",
            "unknown resolver 'streamlink'; known: generic, ytdlp");
    }

    [Fact]
    public void Channels_that_are_not_a_list_must_fail()
    {
        ConfigText.AssertRejected("actor-recorder.channels = \"demo\"", "\"demo\"", "actor-recorder.channels",
            "expected a list of channels, e.g. [ { id = \"demo\", url = \"https://...\" } ], found the string \"demo\"");
    }

    [Fact]
    public void Channels_given_as_an_object_must_fail()
    {
        ConfigText.AssertRejected("actor-recorder.channels {\n  demo { url = \"https://example.com\" }\n}", "{",
            "actor-recorder.channels", "expected a list of channels");
    }

    [Fact]
    public void A_channel_that_is_not_an_object_must_fail()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Ok} }}\n  \"b\"\n]\n";

        ConfigText.AssertRejected(text, "\"b\"", "actor-recorder.channels[1]", "expected a channel object");
    }

    [Fact]
    public void A_channels_recording_that_is_not_an_object_must_fail()
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Ok}, recording = mkv }}\n]\n";

        ConfigText.AssertRejected(text, "mkv", "actor-recorder.channels[0].recording", "expected an object");
    }

    [Theory]
    [InlineData("poll-interval = 0s", "0s", "poll-interval", "at least 1s")]
    [InlineData("stall-timeout = soon", "soon", "stall-timeout", "expected a duration")]
    [InlineData("container = avi", "avi", "container", "unknown container 'avi'")]
    [InlineData("min-free-disk = -5", "-5", "min-free-disk", "0 or more")]
    public void A_bad_channel_recording_value_must_fail_naming_the_channels_full_key(string line, string marker, string key, string reason)
    {
        var text = $"actor-recorder.channels = [\n  {{ id = a, {Ok} }}\n  {{ id = b, {Ok}\n    recording {{ {line} }} }}\n]\n";

        ConfigText.AssertRejected(text, marker, $"actor-recorder.channels[1].recording.{key}", reason);
    }

    [Fact]
    public void A_bad_global_value_must_be_reported_once_at_the_global_key_even_with_channels()
    {
        var text = $"actor-recorder {{\n  recording.poll-interval = 0s\n  channels = [ {{ id = a, {Ok} }} ]\n}}\n";

        ConfigText.AssertRejected(text, "0s", "actor-recorder.recording.poll-interval", "at least 1s");
    }
}
