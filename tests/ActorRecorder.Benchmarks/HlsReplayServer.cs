using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Many "live" HLS channels from one pre-encoded segment sequence, at no encoding cost: channel n's playlist
/// lists the segments whose time has come since its start (a sliding window of six), and ends with
/// #EXT-X-ENDLIST once all have been played. Before its start a channel answers 404 (offline), and so
/// does any unknown path — the idle channels of the benchmark poll those.
/// </summary>
internal sealed class HlsReplayServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[][] _segments;
    private readonly double _segmentSeconds;
    private readonly Dictionary<string, DateTimeOffset> _starts = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private long _requests;

    public HlsReplayServer(IReadOnlyList<string> segmentFiles, double segmentSeconds)
    {
        _segments = segmentFiles.Select(File.ReadAllBytes).ToArray();
        _segmentSeconds = segmentSeconds;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

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

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var parts = (context.Request.Url?.AbsolutePath ?? "/").Trim('/').Split('/');
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
            else if (parts[1].StartsWith('s') && int.TryParse(parts[1].AsSpan(1, parts[1].Length - 4), out var index) && index < available)
            {
                body = _segments[index];
                response.ContentType = "video/mp2t";
            }
            else
            {
                response.StatusCode = 404;
                return;
            }
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException)
        {
            // the client went away
        }
        finally
        {
            response.Close();
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
        _listener.Close();
        await _serving;
    }
}
