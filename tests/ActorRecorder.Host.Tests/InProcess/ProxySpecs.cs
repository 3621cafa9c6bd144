using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Host.Management;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Network;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// A node whose default <c>proxy</c> is a real tinyproxy on loopback that asks for credentials: the channel's checks and its
/// recording (every playlist and segment request of ffmpeg) go through it, and its password is in no log line, event or
/// API answer. A proxy that refuses the credentials keeps the channel from recording, with the reason in the log.
/// </summary>
public sealed class ProxySpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private const string Password = "pr0xy-s3cret";

    [Fact(Timeout = 120_000)]
    public async Task The_checks_and_the_recording_must_go_through_the_proxy_and_its_password_must_be_shown_nowhere()
    {
        await using var proxy = await Tinyproxy.StartAsync("rec", Password);
        await StartNodeAsync(extra: $"proxy = \"http://rec:{Password}@127.0.0.1:{proxy.Port}\"");
        await Source.GoLiveAsync();

        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>(s => s.SessionId == started.SessionId && s.Duration > TimeSpan.FromSeconds(1));
        await Next<SegmentRecorded>(s => s.SessionId == started.SessionId && s.Duration > TimeSpan.FromSeconds(1));

        var requests = proxy.Requests();
        Output.WriteLine($"the proxy's first requests: {string.Join(" | ", requests.Take(8))}");
        var origin = $"http://127.0.0.1:{Source.Port}/live/";
        Assert.Contains(requests, r => r == $"GET {origin}index.m3u8 HTTP/1.1");
        Assert.True(requests.Count(r => r.StartsWith($"GET {origin}", StringComparison.Ordinal) && r.Contains(".ts HTTP/1.1", StringComparison.Ordinal)) >= 2,
            $"ffmpeg's segment requests must go through the proxy: {string.Join(" | ", requests)}");

        var view = NodeApi.View(Settings, await StatusAsync());
        Assert.Equal($"http://rec:********@127.0.0.1:{proxy.Port}", view.Proxy);
        var journal = await JournalAsync();
        Assert.DoesNotContain(Password, JsonSerializer.Serialize(journal.Select(e => (object)e), RecorderMessages.JsonOptions));
        Assert.DoesNotContain(Password, JsonSerializer.Serialize(Settings, RecorderMessages.JsonOptions));
        Assert.DoesNotContain(LogLines, line => line.Contains(Password, StringComparison.Ordinal));
        Assert.Contains(LogLines, line => line.Contains("ffmpeg", StringComparison.OrdinalIgnoreCase)); // the log was captured at all
    }

    [Fact(Timeout = 120_000)]
    public async Task Credentials_the_proxy_refuses_must_keep_the_channel_from_recording_and_be_reported_without_the_password()
    {
        await using var proxy = await Tinyproxy.StartAsync("rec", Password);
        await StartNodeAsync(extra: $"proxy = \"http://rec:{Password}@127.0.0.1:{proxy.Port}\"");
        await Source.GoLiveAsync();
        await Next<SessionStarted>(); // recording through the proxy with the right credentials
        await Configure(Settings with { Proxy = ProxyUrl.Parse($"http://intruder:wrong-pw@127.0.0.1:{proxy.Port}") });

        var masked = $"the proxy http://intruder:********@127.0.0.1:{proxy.Port}: the proxy refused its credentials";
        await NodeWorkspace.Eventually(() => Task.FromResult(LogLines.Any(line => line.Contains(masked, StringComparison.Ordinal))),
            () => "a check refused by the proxy", Patience);
        Assert.DoesNotContain(LogLines, line => line.Contains("wrong-pw", StringComparison.Ordinal) || line.Contains(Password, StringComparison.Ordinal));
        Assert.Contains(proxy.Requests(), r => r.StartsWith("GET http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_resolvers_must_check_through_the_proxy_and_refused_credentials_must_be_an_error()
    {
        await using var proxy = await Tinyproxy.StartAsync("rec", Password);
        await Source.GoLiveAsync();
        using var http = new HttpClient();
        var resolver = new Platforms.Resolvers.GenericResolver(new Media.Probing.Ffprobe(), TimeSpan.FromSeconds(20), http);
        var good = new Platforms.Resolvers.ResolveOptions(null) { Proxy = ProxyUrl.Parse($"http://rec:{Password}@127.0.0.1:{proxy.Port}") };
        Assert.IsType<Platforms.Resolvers.LiveStatus.Live>(await resolver.ResolveAsync(Source.PlaylistUrl, good, CancellationToken.None));
        Assert.Contains($"GET {Source.PlaylistUrl} HTTP/1.1", proxy.Requests());

        var before = proxy.Requests().Count;
        var ytDlp = new Platforms.Resolvers.YtDlpResolver("yt-dlp", "streamlink", TimeSpan.FromSeconds(60));
        Assert.IsType<Platforms.Resolvers.LiveStatus.Live>(await ytDlp.ResolveAsync(Source.PlaylistUrl, good, CancellationToken.None));
        Assert.Contains($"GET {Source.PlaylistUrl} HTTP/1.1", proxy.Requests().Skip(before)); // yt-dlp too, from its environment

        var bad = good with { Proxy = ProxyUrl.Parse($"http://intruder:wrong-pw@127.0.0.1:{proxy.Port}") };
        var refused = await Assert.ThrowsAsync<Platforms.Resolvers.ResolverException>(() => resolver.ResolveAsync(Source.PlaylistUrl, bad, CancellationToken.None));
        Assert.Contains($"through the proxy http://intruder:********@127.0.0.1:{proxy.Port}: the proxy refused its credentials", refused.Message);
        Assert.DoesNotContain("wrong-pw", refused.Message);
    }
}
