using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Synthetic;

/// <summary>
/// A real, local live stream for the demo and the end-to-end tests: ffmpeg encodes a test pattern and
/// a tone to HLS in a temporary folder, and a small HTTP server on 127.0.0.1 serves it. It can go live,
/// drop (ffmpeg killed, the playlist gone: 404), freeze (requests hang: the connection is open but
/// nothing arrives), thaw, and end (ffmpeg finishes the playlist with #EXT-X-ENDLIST).
/// </summary>
public sealed class SyntheticLiveSource : IAsyncDisposable
{
    private readonly SyntheticSourceOptions _options;
    private readonly HttpListener _listener;
    private readonly string _root;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private ChildProcess? _encoder;
    private TaskCompletionSource _thawed = CompletedGate();
    private int _broadcast;
    private bool _ended;

    private SyntheticLiveSource(SyntheticSourceOptions options, HttpListener listener, int port, string root)
    {
        _options = options;
        _listener = listener;
        _root = root;
        Port = port;
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>The URL a recorder is pointed at.</summary>
    public string PlaylistUrl => $"http://127.0.0.1:{Port}/live/index.m3u8";

    public bool IsLive => _encoder is { HasExited: false };

    /// <summary>Starts the HTTP server (offline: the playlist answers 404 until <see cref="GoLiveAsync"/>).</summary>
    public static SyntheticLiveSource Start(SyntheticSourceOptions? options = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "ar-synthetic-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new SyntheticLiveSource(options ?? new SyntheticSourceOptions(), listener, port, root);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // the port was taken between probing and binding: try another
            }
        }
    }

    /// <summary>Starts broadcasting and returns once the playlist lists at least two segments.</summary>
    public async Task GoLiveAsync(CancellationToken cancellationToken = default)
    {
        if (IsLive)
        {
            return;
        }
        var dir = LiveDirectory;
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        _ended = false;
        var broadcast = Interlocked.Increment(ref _broadcast);
        if (_options.DataStream && !File.Exists(DataTrackPath))
        {
            await File.WriteAllBytesAsync(DataTrackPath, TimedId3Track.Build(20, TimeSpan.FromSeconds(0.5), identified: !_options.UnidentifiedData), cancellationToken).ConfigureAwait(false);
        }
        _encoder = ChildProcess.Start(_options.FfmpegPath, EncoderArguments(dir, broadcast));
        var playlist = Path.Combine(dir, "index.m3u8");
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(playlist) || CountSegments(playlist) < 2)
        {
            if (_encoder.HasExited)
            {
                var result = await _encoder.Completion.ConfigureAwait(false);
                throw new ProcessFailedException("the synthetic encoder exited", _encoder.CommandLine, result.ExitCode, result.StderrTail);
            }
            if (started.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the synthetic source did not produce two HLS segments within 30 s");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stream disappears abruptly: the encoder is killed and the playlist answers 404.</summary>
    public async Task DropAsync()
    {
        if (_encoder is { } encoder)
        {
            encoder.Kill();
            await encoder.Completion.ConfigureAwait(false);
            await encoder.DisposeAsync().ConfigureAwait(false);
            _encoder = null;
        }
        if (Directory.Exists(LiveDirectory))
        {
            Directory.Delete(LiveDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The broadcast ends properly: the encoder finishes its playlist (#EXT-X-ENDLIST), then the stream goes away —
    /// unless <paramref name="keepPlaylist"/>, where the finished playlist stays online as many servers keep it.
    /// </summary>
    public async Task EndAsync(TimeSpan? linger = null, bool keepPlaylist = false)
    {
        if (_encoder is { } encoder)
        {
            await encoder.StopAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await encoder.DisposeAsync().ConfigureAwait(false);
            _encoder = null;
            LastBroadcastDuration = BroadcastDuration(Path.Combine(LiveDirectory, "index.m3u8"));
        }
        if (linger is { } wait)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }
        _ended = keepPlaylist;
        if (!keepPlaylist && Directory.Exists(LiveDirectory))
        {
            Directory.Delete(LiveDirectory, recursive: true);
        }
    }

    /// <summary>How much media the last broadcast that ended properly (<see cref="EndAsync"/>) published, from its first segment to its last.</summary>
    public TimeSpan LastBroadcastDuration { get; private set; }

    /// <summary>The segments the finished playlist lists, plus those it dropped (its media sequence), each of the segment duration.</summary>
    private TimeSpan BroadcastDuration(string playlist)
    {
        if (!File.Exists(playlist))
        {
            return TimeSpan.Zero;
        }
        var total = TimeSpan.Zero;
        foreach (var line in File.ReadLines(playlist))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                total += _options.SegmentDuration * int.Parse(line["#EXT-X-MEDIA-SEQUENCE:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                total += TimeSpan.FromSeconds(double.Parse(line["#EXTINF:".Length..].Split(",")[0], CultureInfo.InvariantCulture));
            }
        }
        return total;
    }

    /// <summary>Requests hang without an answer until <see cref="Thaw"/>: the "connection open, nothing arrives" case.</summary>
    public void Freeze()
    {
        if (Volatile.Read(ref _thawed).Task.IsCompleted)
        {
            Volatile.Write(ref _thawed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    public void Thaw() => Volatile.Read(ref _thawed).TrySetResult();

    private string LiveDirectory => Path.Combine(_root, "live");

    /// <summary>Timed ID3 for ten seconds (<see cref="TimedId3Track"/>), looped by the encoder.</summary>
    private string DataTrackPath => Path.Combine(_root, "timed-id3.ts");

    private IReadOnlyList<string> EncoderArguments(string dir, int broadcast)
    {
        var o = _options;
        var fps = o.FrameRate.ToString(CultureInfo.InvariantCulture);
        // The data track is read whole before the encoder starts (it is small): its probe must not hold the broadcast up.
        string[] dataInput = o.DataStream ? ["-re", "-probesize", "10M", "-analyzeduration", "20M", "-stream_loop", "-1", "-i", DataTrackPath] : [];
        string[] dataOutput = o.DataStream ? ["-map", "2:d", "-c:d", "copy"] : [];
        string[] audioDelay = o.AudioDelay > TimeSpan.Zero ? ["-itsoffset", o.AudioDelay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)] : [];
        string[] audioOutput = o.NoAudio ? [] : ["-map", "1:a"];
        return
        [
            "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size={o.Width}x{o.Height}:rate={fps}",
            .. audioDelay, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            .. dataInput,
            "-map", "0:v", .. audioOutput,
            .. dataOutput,
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-g", fps, "-b:v", o.VideoBitrate.ToString(CultureInfo.InvariantCulture),
            "-maxrate", o.VideoBitrate.ToString(CultureInfo.InvariantCulture), "-bufsize", (o.VideoBitrate * 2).ToString(CultureInfo.InvariantCulture),
            "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", o.SegmentDuration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-hls_list_size", "6", "-hls_flags", "delete_segments+program_date_time",
            "-hls_segment_filename", Path.Combine(dir, $"b{broadcast}-%06d.ts"),
            Path.Combine(dir, "index.m3u8"),
        ];
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            await Volatile.Read(ref _thawed).Task.WaitAsync(_stopping.Token).ConfigureAwait(false);
            var path = context.Request.Url?.AbsolutePath ?? "/";
            var name = Path.GetFileName(path);
            var file = Path.Combine(LiveDirectory, name);
            if (!path.StartsWith("/live/", StringComparison.Ordinal) || name.Length == 0 || name.Contains("..", StringComparison.Ordinal)
                || !(IsLive || _ended) || !File.Exists(file))
            {
                response.StatusCode = 404;
                return;
            }
            byte[] body;
            try
            {
                body = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
            }
            catch (IOException)
            {
                response.StatusCode = 404; // deleted by the encoder meanwhile
                return;
            }
            response.ContentType = name.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/mp2t";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, or we are shutting down
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // already closed
            }
        }
    }

    private static int CountSegments(string playlist)
    {
        try
        {
            return File.ReadLines(playlist).Count(l => l.StartsWith("#EXTINF", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Thaw();
        await DropAsync().ConfigureAwait(false);
        _listener.Close();
        await _serving.ConfigureAwait(false);
        _stopping.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a reader may still hold a file
        }
    }
}
