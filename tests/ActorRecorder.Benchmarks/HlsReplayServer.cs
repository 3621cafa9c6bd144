using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Many "live" HLS channels from one pre-encoded segment sequence, at no encoding cost: channel n's playlist
/// lists the segments whose time has come since its start (a sliding window of six), and ends with
/// #EXT-X-ENDLIST once all have been played. Before its start a channel answers 404 (offline), and so
/// does any unknown path — the idle channels of the benchmark poll those.
/// </summary>
internal sealed class HlsReplayServer : IAsyncDisposable
{
    private readonly byte[][] _segments;
    private readonly double _segmentSeconds;
    private readonly Dictionary<string, DateTimeOffset> _starts = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _requests;

    private HlsReplayServer(byte[][] segments, double segmentSeconds, WebApplication app)
    {
        _segments = segments;
        _segmentSeconds = segmentSeconds;
        _app = app;
    }

    /// <summary>On Kestrel (not HttpListener): serving 200 recordings at once from the benchmark's own process must cost it little.</summary>
    public static async Task<HlsReplayServer> StartAsync(IReadOnlyList<string> segmentFiles, double segmentSeconds)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new HlsReplayServer(segmentFiles.Select(File.ReadAllBytes).ToArray(), segmentSeconds, app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return server;
    }

    public int Port { get; private set; }

    public long Requests => Interlocked.Read(ref _requests);

    public TimeSpan StreamDuration => TimeSpan.FromSeconds(_segments.Length * _segmentSeconds);

    public string Url(string channel) => $"http://127.0.0.1:{Port}/{channel}/index.m3u8";

    public void Start(string channel, DateTimeOffset at)
    {
        lock (_starts)
        {
            _starts[channel] = at;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var response = context.Response;
        var parts = context.Request.Path.Value?.Trim('/').Split('/') ?? [];
        DateTimeOffset start;
        lock (_starts)
        {
            if (parts.Length != 2 || !_starts.TryGetValue(parts[0], out start) || TimeProvider.System.GetUtcNow() < start)
            {
                response.StatusCode = 404;
                return;
            }
        }
        var available = Math.Min(_segments.Length, (int)((TimeProvider.System.GetUtcNow() - start).TotalSeconds / _segmentSeconds) + 1);
        byte[] body;
        if (parts[1] == "index.m3u8")
        {
            body = Encoding.ASCII.GetBytes(Playlist(available));
            response.ContentType = "application/vnd.apple.mpegurl";
        }
        else if (parts[1].StartsWith('s') && parts[1].EndsWith(".ts", StringComparison.Ordinal)
            && int.TryParse(parts[1].AsSpan(1, parts[1].Length - 4), out var index) && index < available)
        {
            body = _segments[index];
            response.ContentType = "video/mp2t";
        }
        else
        {
            response.StatusCode = 404;
            return;
        }
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }

    private string Playlist(int available)
    {
        var first = Math.Max(0, available - 6);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{Math.Ceiling(_segmentSeconds)}\n#EXT-X-MEDIA-SEQUENCE:{first}\n");
        for (var i = first; i < available; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{_segmentSeconds:0.000},\ns{i}.ts\n");
        }
        if (available == _segments.Length)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
