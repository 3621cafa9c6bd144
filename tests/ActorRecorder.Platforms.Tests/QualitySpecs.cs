using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorRecorder.Media.Probing;
using ActorRecorder.Platforms.Quality;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Platforms.Tests;

/// <summary>A channel's quality list: read, turned into each tool's words, and applied to an HLS master playlist by the recorder itself.</summary>
public sealed class QualitySpecs
{
    private const string Master = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.4d401e,mp4a.40.2"
        360p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,FRAME-RATE=60.000,CODECS="avc1.4d401f,mp4a.40.2"
        720p60/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.4d401f,mp4a.40.2"
        720p30/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=6000000,RESOLUTION=1920x1080,FRAME-RATE=30.000,CODECS="avc1.640028,mp4a.40.2"
        https://cdn.example/1080p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS="mp4a.40.2"
        audio/index.m3u8
        """;

    private static readonly Uri MasterUri = new("http://origin.example/live/master.m3u8");

    private static IReadOnlyList<StreamQuality> List(params string[] entries) => [.. entries.Select(e => StreamQuality.Parse(e)!)];

    [Theory]
    [InlineData("best", "best")]
    [InlineData(" Worst ", "worst")]
    [InlineData("audio_only", "audio-only")]
    [InlineData("1080p", "1080p")]
    [InlineData("720p60", "720p60")]
    public void A_quality_must_read_in_each_of_its_forms(string text, string expected) =>
        Assert.Equal(expected, StreamQuality.Parse(text)?.ToString());

    [Theory]
    [InlineData("hd")]
    [InlineData("720")]
    [InlineData("p60")]
    [InlineData("720p0")]
    [InlineData("")]
    public void Anything_else_must_not_read_as_a_quality(string text) => Assert.Null(StreamQuality.Parse(text));

    [Fact]
    public void The_tools_must_get_the_list_in_their_own_words_in_order()
    {
        var list = List("1080p", "720p60", "audio-only", "best");
        Assert.Equal("best[height=1080]/best[height=720][fps=60]/bestaudio/best", StreamQuality.YtDlpSelector(list));
        Assert.Equal("1080p,720p60,audio_only,best", StreamQuality.StreamlinkStreams(list));
        Assert.Equal("best", StreamQuality.YtDlpSelector([]));
        Assert.Equal("best", StreamQuality.StreamlinkStreams([]));
    }

    [Fact]
    public void A_master_playlist_s_variants_must_be_read_with_their_resolution_rate_and_absolute_uri()
    {
        var variants = HlsVariants.Parse(Master, MasterUri);
        Assert.Equal(5, variants.Count);
        Assert.Equal(new HlsVariant("http://origin.example/live/360p/index.m3u8", 800_000, 640, 360, 30, false), variants[0]);
        Assert.Equal("https://cdn.example/1080p/index.m3u8", variants[3].Uri);
        Assert.True(variants[4].AudioOnly);
        Assert.Equal("720p60 (1280x720, 3.0 Mbit/s)", variants[1].Describe());
        Assert.Equal("audio-only (128 kbit/s)", variants[4].Describe());
        Assert.Empty(HlsVariants.Parse("#EXTM3U\n#EXTINF:2,\nseg1.ts\n", MasterUri)); // a media playlist has none
    }

    [Theory]
    [InlineData("best", "1080p/index.m3u8")]
    [InlineData("worst", "360p/index.m3u8")]
    [InlineData("720p", "720p60/index.m3u8")]
    [InlineData("720p30", "720p30/index.m3u8")]
    [InlineData("audio-only", "audio/index.m3u8")]
    [InlineData("480p,720p30,best", "720p30/index.m3u8")]
    [InlineData("1440p,worst", "360p/index.m3u8")]
    public void Each_setting_must_pick_its_variant_and_a_missing_one_must_fall_back_in_order(string setting, string expected)
    {
        var picked = HlsVariants.Pick(HlsVariants.Parse(Master, MasterUri), List(setting.Split(',')));
        Assert.NotNull(picked);
        Assert.EndsWith(expected, picked.Value.Variant.Uri);
    }

    [Fact]
    public void No_variant_must_be_picked_when_none_answers_the_list()
    {
        Assert.Null(HlsVariants.Pick(HlsVariants.Parse(Master, MasterUri), List("1440p", "480p")));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_generic_resolver_must_record_the_variant_the_list_picks_from_a_master_playlist_it_fetched()
    {
        using var server = new PlaylistServer(Master);
        using var http = new HttpClient();
        var resolver = new GenericResolver(new Ffprobe("/nonexistent/ffprobe"), TimeSpan.FromSeconds(10), http);

        var best = Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync(server.Url, ResolveOptions.None, CancellationToken.None));
        Assert.Equal("https://cdn.example/1080p/index.m3u8", best.StreamUrl);
        Assert.Equal("best: 1080p30 (1920x1080, 6.0 Mbit/s)", best.Quality);

        var options = new ResolveOptions(null) { Qualities = List("480p", "720p60") };
        var fallback = Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync(server.Url, options, CancellationToken.None));
        Assert.Equal(new Uri(new Uri(server.Url), "720p60/index.m3u8").AbsoluteUri, fallback.StreamUrl);
        Assert.StartsWith("720p60: ", fallback.Quality);

        var missing = Assert.IsType<LiveStatus.Offline>(await resolver.ResolveAsync(server.Url, new ResolveOptions(null) { Qualities = List("1440p") }, CancellationToken.None));
        Assert.Contains("none of the wanted qualities (1440p) is offered; it offers 360p30", missing.Reason);
    }

    /// <summary>One playlist served over real HTTP on loopback.</summary>
    private sealed class PlaylistServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public PlaylistServer(string playlist)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/live/master.m3u8";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    var body = Encoding.UTF8.GetBytes(playlist);
                    context.Response.ContentType = "application/vnd.apple.mpegurl";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose() => _listener.Close();
    }
}
