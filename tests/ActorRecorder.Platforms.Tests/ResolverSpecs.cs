using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Synthetic;
using ActorRecorder.Platforms.Gate;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Platforms.Tests;

public sealed class ResolverSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 90_000)]
    public async Task Generic_and_ytdlp_resolvers_must_see_the_synthetic_stream_offline_then_live()
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90 });
        var gate = new PlatformGate(new GateOptions());
        using var http = new HttpClient();
        IChannelResolver[] resolvers =
        [
            new GenericResolver(new Ffprobe(), Timeout), new GenericResolver(new Ffprobe(), Timeout, http),
            new YtDlpResolver("yt-dlp", "streamlink", Timeout),
        ];
        foreach (var resolver in resolvers)
        {
            var offline = await gate.ResolveAsync(resolver, source.PlaylistUrl, ResolveOptions.None, CancellationToken.None);
            Assert.IsType<LiveStatus.Offline>(offline);
        }
        await source.GoLiveAsync();
        foreach (var resolver in resolvers)
        {
            var live = Assert.IsType<LiveStatus.Live>(await gate.ResolveAsync(resolver, source.PlaylistUrl, ResolveOptions.None, CancellationToken.None));
            Assert.Equal(source.PlaylistUrl, live.StreamUrl);
        }
        Assert.All(gate.Gates.Values, g => Assert.Equal(0, g.InFlight));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_resolver_that_cannot_run_must_raise_an_error_that_the_gate_counts()
    {
        var gate = new PlatformGate(new GateOptions { InitialLimit = 4 });
        var broken = new GenericResolver(new Ffprobe("/nonexistent/ffprobe"), Timeout);
        await Assert.ThrowsAsync<ResolverException>(() => gate.ResolveAsync(broken, "http://127.0.0.1:1/x.m3u8", ResolveOptions.None, CancellationToken.None));
        Assert.Equal(2, gate.For("generic:127.0.0.1").CurrentLimit);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_generic_precheck_must_tell_offline_from_a_refused_connection_without_ffprobe()
    {
        using var http = new HttpClient();
        var resolver = new GenericResolver(new Ffprobe("/nonexistent/ffprobe"), Timeout, http);
        var refused = Assert.IsType<LiveStatus.Offline>(await resolver.ResolveAsync("http://127.0.0.1:1/live.m3u8", ResolveOptions.None, CancellationToken.None));
        Assert.Contains("nothing listens", refused.Reason);
        await using var source = SyntheticLiveSource.Start();
        var notFound = Assert.IsType<LiveStatus.Offline>(await resolver.ResolveAsync(source.PlaylistUrl, ResolveOptions.None, CancellationToken.None));
        Assert.Contains("HTTP 404", notFound.Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_open_HLS_playlist_must_be_live_on_its_request_alone_whatever_its_segments_carry()
    {
        // No ffprobe at all: the check of a stream carrying a data stream no demuxer identifies costs one request, not a
        // probe that runs to its limits.
        using var http = new HttpClient();
        var resolver = new GenericResolver(new Ffprobe("/nonexistent/ffprobe"), Timeout, http);
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90, DataStream = true, UnidentifiedData = true });
        await source.GoLiveAsync();

        var live = Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync(source.PlaylistUrl, ResolveOptions.None, CancellationToken.None));

        Assert.Equal(source.PlaylistUrl, live.StreamUrl);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_finished_HLS_playlist_that_stays_online_must_count_as_offline()
    {
        using var http = new HttpClient();
        var resolver = new GenericResolver(new Ffprobe(), Timeout, http);
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90 });
        await source.GoLiveAsync();
        Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync(source.PlaylistUrl, ResolveOptions.None, CancellationToken.None));
        await source.EndAsync(linger: null, keepPlaylist: true);
        var ended = Assert.IsType<LiveStatus.Offline>(await resolver.ResolveAsync(source.PlaylistUrl, ResolveOptions.None, CancellationToken.None));
        Assert.Contains("EXT-X-ENDLIST", ended.Reason);
    }

    [Fact]
    public void YtDlp_json_must_map_live_status_url_headers_and_title()
    {
        var live = Assert.IsType<LiveStatus.Live>(YtDlpResolver.FromYtDlp("""
            {"title":"Evening stream","live_status":"is_live","url":"https://cdn/x.m3u8","http_headers":{"Referer":"https://site"}}
            """));
        Assert.Equal("Evening stream", live.Title);
        Assert.Equal("https://site", live.Headers["Referer"]);
        Assert.IsType<LiveStatus.Offline>(YtDlpResolver.FromYtDlp("""{"live_status":"was_live","url":"https://vod"}"""));
        Assert.IsType<LiveStatus.Offline>(YtDlpResolver.FromYtDlp("""{"is_live":false,"url":"https://vod"}"""));
        Assert.IsType<LiveStatus.Offline>(YtDlpResolver.FromYtDlp("""{"title":"no formats","live_status":"not_live"}"""));
        Assert.IsType<LiveStatus.Offline>(YtDlpResolver.FromYtDlp("""{"title":"no url"}""")); // --ignore-no-formats-error: nothing to record
        Assert.Throws<ResolverException>(() => YtDlpResolver.FromYtDlp("""{"title":"live, no url","live_status":"is_live"}"""));

        // A scheduled broadcast: upcoming, with its title and start.
        var upcoming = Assert.IsType<LiveStatus.Upcoming>(YtDlpResolver.FromYtDlp("""
            {"title":"Launch day","live_status":"is_upcoming","release_timestamp":1798135200}
            """));
        Assert.Equal("Launch day", upcoming.Title);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1798135200), upcoming.StartsAt);
        Assert.Null(Assert.IsType<LiveStatus.Upcoming>(YtDlpResolver.FromYtDlp("""{"live_status":"is_upcoming"}""")).StartsAt);
        Assert.Throws<ResolverException>(() => YtDlpResolver.FromYtDlp("<html>"));
    }

    [Fact]
    public void Streamlink_json_must_map_url_headers_title_and_errors()
    {
        var live = Assert.IsType<LiveStatus.Live>(YtDlpResolver.FromStreamlinkJson("""
            {"type":"hls","url":"https://cdn/y.m3u8","headers":{"User-Agent":"x"},"metadata":{"title":"Hi"}}
            """));
        Assert.Equal("Hi", live.Title);
        Assert.Equal("x", live.Headers["User-Agent"]);
        Assert.IsType<LiveStatus.Offline>(YtDlpResolver.FromStreamlinkJson("""{"error":"No playable streams found on this URL"}"""));
    }
}
