using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Engine.Tests.Channel;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Network;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary>
/// <c>proxy</c>: a node default, a template's, a channel's; refused with the reason when ffmpeg cannot use it; its password
/// masked in every text and never in a channel's settings on the wire (the node's own configuration gives it back).
/// </summary>
public sealed class ProxySettingsSpecs
{
    private const string Secret = "s3cr3t-pw";

    private static NodeSettings Load(string text) => EngineSettings.Load(ConfigText.Parse(text));

    [Fact]
    public void A_channel_or_template_must_override_the_node_s_proxy_and_an_empty_one_must_mean_none()
    {
        var settings = Load($$"""
            actor-recorder.proxy = "http://node:{{Secret}}@127.0.0.1:3128"
            actor-recorder.templates { cn { proxy = "http://10.0.0.2:8080" } }
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", template = cn }
              { id = c, url = "https://x/c", template = cn, proxy = "http://me:pw@10.0.0.3:8888/" }
              { id = d, url = "https://x/d", proxy = "" }
            ]
            """);
        Assert.Equal(["http://node:********@127.0.0.1:3128", "http://10.0.0.2:8080", "http://me:********@10.0.0.3:8888", null],
            settings.Channels.Select(c => c.Proxy?.ToString()));
        Assert.Equal("node", settings.Channels[0].Proxy!.Credential!.UserName);
        Assert.Equal(Secret, settings.Channels[0].Proxy!.Credential!.Password);
        Assert.Null(Load("actor-recorder.channels = [ { id = a, url = \"https://x/a\" } ]").Channels[0].Proxy);
    }

    [Theory]
    [InlineData("socks5://127.0.0.1:1080", "a socks5 proxy cannot be used: ffmpeg, which records every channel, speaks only http proxies")]
    [InlineData("socks5h://u:p@127.0.0.1:1080", "a socks5h proxy cannot be used")]
    [InlineData("https://127.0.0.1:3128", "unsupported proxy scheme 'https'")]
    [InlineData("http://127.0.0.1", "'http://127.0.0.1' names no port; write it, e.g. http://127.0.0.1:8080")]
    [InlineData("http://user:hidden@127.0.0.1:3128/x", "'http://user:********@127.0.0.1:3128/x' has a path")]
    [InlineData("127.0.0.1:3128", "is not a proxy URL")]
    public void A_proxy_ffmpeg_cannot_use_must_be_refused_at_its_key_with_the_reason_and_without_the_password(string proxy, string reason)
    {
        var text = $"actor-recorder.channels = [ {{ id = a, url = \"https://x/a\", proxy = \"{proxy}\" }} ]";
        var ex = Assert.Throws<ConfigException>(() => Load(text));
        Assert.Equal("actor-recorder.channels[0].proxy", ex.Path);
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain("hidden", ex.Message);
        Assert.Equal((1, text.IndexOf("\"" + proxy, StringComparison.Ordinal) + 1), (ex.Line, ex.Column));
    }

    [Fact]
    public void The_password_must_never_be_in_a_channel_s_settings_on_the_wire_and_the_node_s_secrets_must_give_it_back()
    {
        var settings = Load($$"""actor-recorder.channels = [ { id = a, url = "https://x/a", proxy = "http://us%40er:{{Secret}}@127.0.0.1:3128" } ]""");
        var channel = settings.Channels[0];
        var json = JsonSerializer.Serialize(channel, RecorderMessages.JsonOptions);
        Assert.DoesNotContain(Secret, json);
        Assert.Contains("http://us%40er@127.0.0.1:3128", json);

        var wire = JsonSerializer.Deserialize<ChannelSettings>(json, RecorderMessages.JsonOptions)!;
        Assert.Equal(channel, wire); // the same setting: the password is a secret, not part of it
        Assert.False(wire.Proxy!.HasPassword);
        var resolved = new SecretStore(settings.Secrets).Resolve(wire.Proxy)!;
        Assert.Equal(("us@er", Secret), (resolved.Credential!.UserName, resolved.Credential.Password));
        Assert.Equal($"http://us%40er:{Secret}@127.0.0.1:3128", resolved.Environment["http_proxy"]);
        Assert.DoesNotContain(Secret, settings.Secrets.ToString());
        Assert.Same(wire.Proxy, new SecretStore().Resolve(wire.Proxy)); // a node whose configuration lacks it uses it as it is
    }

    [Fact]
    public void Config_show_and_the_printed_configuration_must_mask_the_password()
    {
        var text = $$"""
            actor-recorder.proxy = "http://node:{{Secret}}@127.0.0.1:3128"
            actor-recorder.channels = [ { id = a, url = "https://x/a" } ]
            """;
        var explained = EngineSettings.ExplainChannel(ConfigText.Parse(text), Directory.GetCurrentDirectory(), "a").ToDictionary(s => s.Key);
        Assert.Equal("http://node:********@127.0.0.1:3128", explained["proxy"].Value);
        Assert.StartsWith("node.conf:1", explained["proxy"].Origin);
        Assert.DoesNotContain(Secret, ConfigSecrets.MaskSecrets(ConfigText.Parse(text)).ToString());
    }

    [Fact]
    public void The_monitor_and_the_recorder_must_get_the_proxy_and_a_new_one_must_restart_the_monitor_only()
    {
        var proxy = ProxyUrl.Parse("http://127.0.0.1:3128");
        var settings = ChannelScript.DefaultSettings() with { Proxy = proxy };
        var script = new ChannelScript(settings);
        script.Give(new ConfigureChannel(settings));
        Assert.Equal(proxy, script.Effect<StartMonitor>().Proxy);
        script.Give(new DiskMeasured(long.MaxValue));
        script.Give(ChannelScript.Live());
        Assert.Equal(proxy, script.Effect<StartRecorder>().Request.Proxy);

        var other = ProxyUrl.Parse("http://127.0.0.1:8888");
        script.Give(new ConfigureChannel(settings with { Proxy = other }));
        Assert.Equal(other, script.Effect<StartMonitor>().Proxy);
        Assert.Empty(script.Last.Effects.OfType<StopRecorder>()); // a running recording keeps its proxy until its next attempt
    }
}
