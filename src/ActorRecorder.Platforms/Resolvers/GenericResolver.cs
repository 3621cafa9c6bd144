using System.Collections.Immutable;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Any URL ffmpeg can read (HLS, HTTP-FLV, HTTP-TS, RTMP): live when a short probe reads media from it.
/// A probe that fails because nothing is there (404, refused, no streams) means offline; a probe that
/// cannot even run is an error. For HTTP(S) URLs a plain request comes first, so an offline channel
/// (4xx, connection refused) costs one request instead of an ffprobe process; a 5xx is a platform error.
/// </summary>
public sealed class GenericResolver(Ffprobe ffprobe, TimeSpan probeTimeout, HttpClient? http = null) : IChannelResolver
{
    public string Name => "generic";

    public string PlatformKey(string channelUrl) =>
        Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) ? $"generic:{uri.Host}" : "generic";

    /// <remarks>A stream URL needs no cookies: <see cref="ResolveOptions.CookiesFile"/> is for page resolvers.</remarks>
    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        if (http is not null && Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && await PreCheckAsync(http, uri, cancellationToken).ConfigureAwait(false) is { } offline)
        {
            return offline;
        }
        try
        {
            var probe = await ffprobe.ProbeAsync(channelUrl, probeTimeout, cancellationToken).ConfigureAwait(false);
            return probe.HasVideo || probe.HasAudio
                ? new LiveStatus.Live(channelUrl, ImmutableDictionary<string, string>.Empty, null)
                : new LiveStatus.Offline("the stream has no audio or video");
        }
        catch (ProcessFailedException ex) when (ex.ExitCode is not null)
        {
            var reason = ex.StderrTail.LastOrDefault() ?? ex.Reason;
            return new LiveStatus.Offline($"nothing readable at the URL: {reason}");
        }
        catch (ProcessFailedException ex)
        {
            throw new ResolverException($"ffprobe could not run: {ex.Reason}", ex);
        }
    }

    /// <summary>Offline when the server says nothing is there; null when the URL answers and ffprobe should look.</summary>
    private async Task<LiveStatus.Offline?> PreCheckAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probeTimeout);
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code >= 500)
            {
                throw new ResolverException($"{uri.Host} answered HTTP {code}");
            }
            if (code >= 400)
            {
                return new LiveStatus.Offline($"HTTP {code} from the stream URL");
            }
            return IsHlsPlaylist(uri, response) && await HasEndedAsync(response, timeout.Token).ConfigureAwait(false)
                ? new LiveStatus.Offline("the HLS playlist has ended (#EXT-X-ENDLIST): a recording, not a live stream")
                : null;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return new LiveStatus.Offline($"nothing listens at the stream URL ({ex.Message})");
        }
        catch (HttpRequestException ex)
        {
            throw new ResolverException($"requesting {uri.Host} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ResolverException($"{uri.Host} did not answer within {probeTimeout.TotalSeconds:0} s", ex);
        }
    }

    private static bool IsHlsPlaylist(Uri uri, HttpResponseMessage response) =>
        uri.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase)
        || response.Content.Headers.ContentType?.MediaType?.Contains("mpegurl", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A finished broadcast often stays online as a complete playlist; only an open one is live.</summary>
    private static async Task<bool> HasEndedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        return buffer.AsSpan(0, length).IndexOf("#EXT-X-ENDLIST"u8) >= 0;
    }
}
