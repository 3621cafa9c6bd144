using System.Net;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Synthetic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// A channel on an HLS master playlist with three real renditions (three live encoders, 90p, 180p and 360p): each quality
/// setting records the rendition it names, checked with ffprobe on the recorded segment, and a list falls back in order.
/// </summary>
public sealed class QualitySpecs(ITestOutputHelper output) : NodeSpec(output)
{
    protected override SyntheticSourceOptions SourceOptions => new() { Width = 320, Height = 180, VideoBitrate = 200_000 };

    [Theory(Timeout = 150_000)]
    [InlineData("best", 360)]
    [InlineData("180p", 180)]
    [InlineData("1080p, 90p, best", 90)]
    public async Task Each_quality_must_record_its_rendition_of_a_master_playlist(string quality, int height)
    {
        await using var low = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90, VideoBitrate = 100_000 });
        await using var high = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = 400_000 });
        await using var master = await MasterPlaylist.StartAsync($"""
            #EXTM3U
            #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x180,FRAME-RATE=25.000,CODECS="avc1.4d400d,mp4a.40.2"
            {Source.PlaylistUrl}
            #EXT-X-STREAM-INF:BANDWIDTH=200000,RESOLUTION=160x90,FRAME-RATE=25.000,CODECS="avc1.4d400b,mp4a.40.2"
            {low.PlaylistUrl}
            #EXT-X-STREAM-INF:BANDWIDTH=700000,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.4d401e,mp4a.40.2"
            {high.PlaylistUrl}
            """);
        await StartNodeAsync(grace: "2s");
        await Configure(Settings with
        {
            Url = master.Url,
            Sources = [new ChannelSource(master.Url, "generic")],
            Recording = Settings.Recording with { Quality = quality },
        });
        await Task.WhenAll(Source.GoLiveAsync(), low.GoLiveAsync(), high.GoLiveAsync());
        master.Open(); // only now: the channel goes live once every rendition has segments

        var attempt = await Next<RecordingAttemptStarted>(timeout: TimeSpan.FromSeconds(60));
        var segment = await Next<SegmentRecorded>(s => s.SessionId == attempt.SessionId && s.Duration > TimeSpan.FromSeconds(1));

        var probe = await new Ffprobe().ProbeAsync(segment.Path, TimeSpan.FromSeconds(20));
        Assert.Equal(height, probe.Video?.Height);
        Assert.Contains($"{height}p25", attempt.Quality);
        Assert.Contains($"{height}p25", (await StatusAsync()).Quality);
    }

    /// <summary>A master playlist served over real HTTP on loopback: 404 until it is opened.</summary>
    private sealed class MasterPlaylist : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private volatile bool _open;

        private MasterPlaylist(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public void Open() => _open = true;

        public static async Task<MasterPlaylist> StartAsync(string playlist)
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            MasterPlaylist? served = null;
            app.Run(context =>
            {
                if (served is not { _open: true })
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
                context.Response.ContentType = "application/vnd.apple.mpegurl";
                return context.Response.WriteAsync(playlist);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            served = new MasterPlaylist(app, address + "/live/master.m3u8");
            return served;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
