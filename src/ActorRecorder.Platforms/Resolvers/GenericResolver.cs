using System.Collections.Concurrent;
using System.Collections.Immutable;
using ActorRecorder.Media.Network;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Platforms.Quality;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Any URL ffmpeg can read (HLS, HTTP-FLV, HTTP-TS, RTMP): live when a short probe reads media from it.
/// A probe that fails because nothing is there (404, refused, no streams) means offline; a probe that
/// cannot even run is an error. For HTTP(S) URLs a plain request comes first, so an offline channel
/// (4xx, connection refused) costs one request instead of an ffprobe process; a 5xx is a platform error.
/// An HLS playlist that lists segments and has not ended is live on that request alone: no ffprobe, whose probe of a
/// stream it cannot identify (a platform's private data stream) would take as long as its probe limits, for every check
/// of every channel. A channel with a proxy is checked through it: the request by a client of that proxy's own (one per
/// proxy, kept for the process), ffprobe with the proxy in its environment.
/// </summary>
public sealed class GenericResolver(Ffprobe ffprobe, TimeSpan probeTimeout, HttpClient? http = null) : IChannelResolver
{
    private readonly ConcurrentDictionary<ProxyUrl, HttpClient> _proxied = new();

    public string Name => "generic";

    public string PlatformKey(string channelUrl) =>
        Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) ? $"generic:{uri.Host}" : "generic";

    /// <remarks>A stream URL needs no cookies: <see cref="ResolveOptions.CookiesFile"/> is for page resolvers.</remarks>
    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        if (http is not null && Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && await PreCheckAsync(ClientFor(http, options.Proxy), uri, channelUrl, options, cancellationToken).ConfigureAwait(false) is { } answered)
        {
            return answered;
        }
        try
        {
            // Bounded like a recording's first probe: a stream it cannot identify does not hold the check for its whole probe.
            var probe = await ffprobe.ProbeAsync(channelUrl, probeTimeout, cancellationToken, Media.Ffmpeg.FfmpegArguments.NarrowProbe,
                options.Proxy).ConfigureAwait(false);
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

    /// <summary>The node's shared client, or this proxy's own.</summary>
    private HttpClient ClientFor(HttpClient shared, ProxyUrl? proxy) =>
        proxy is null ? shared : _proxied.GetOrAdd(proxy, p => new HttpClient(
            new SocketsHttpHandler { Proxy = p.AsWebProxy(), UseProxy = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });

    /// <summary>Offline when the server says nothing is there, live for an open HLS playlist with segments; null when ffprobe should look.</summary>
    private async Task<LiveStatus?> PreCheckAsync(HttpClient client, Uri uri, string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probeTimeout);
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code == 407 || (code == 401 && options.Proxy is not null))
            {
                // Some proxies (tinyproxy) answer wrong credentials with a 401 of their own: through a proxy, either may have refused.
                throw new ResolverException(code == 407
                    ? $"the proxy {options.Proxy} refused the request: it wants credentials it was not given, or refused them (HTTP 407)"
                    : $"HTTP 401 through the proxy {options.Proxy}: the proxy refused its credentials, or the stream wants some");
            }
            if (code >= 500)
            {
                throw new ResolverException($"{uri.Host} answered HTTP {code}");
            }
            if (code >= 400)
            {
                return new LiveStatus.Offline($"HTTP {code} from the stream URL");
            }
            if (!IsHlsPlaylist(uri, response))
            {
                return null;
            }
            var playlist = await ReadPlaylistAsync(response, timeout.Token).ConfigureAwait(false);
            if (playlist.StartsWith("#EXTM3U", StringComparison.Ordinal) && HlsVariants.Parse(playlist, response.RequestMessage?.RequestUri ?? uri) is { Count: > 0 } variants)
            {
                return Variant(variants, options.Qualities);
            }
            return playlist switch
            {
                _ when playlist.Contains("#EXT-X-ENDLIST", StringComparison.Ordinal) =>
                    new LiveStatus.Offline("the HLS playlist has ended (#EXT-X-ENDLIST): a recording, not a live stream"),
                _ when playlist.StartsWith("#EXTM3U", StringComparison.Ordinal)
                    && (playlist.Contains("#EXTINF", StringComparison.Ordinal) || playlist.Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal)) =>
                    new LiveStatus.Live(channelUrl, ImmutableDictionary<string, string>.Empty, null),
                _ => null, // an odd playlist: ffprobe decides
            };
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ProxyTunnelError
                                              || (ex.HttpRequestError == HttpRequestError.ConnectionError && options.Proxy is not null))
        {
            throw new ResolverException($"the proxy {options.Proxy} could not be used: {ex.Message}", ex);
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

    /// <summary>
    /// A master playlist: the rendition the channel's quality list picks, recorded on its own (its media playlist); none that
    /// answers the list is reported with what the stream offers, and checked again at the next poll.
    /// </summary>
    private static LiveStatus Variant(IReadOnlyList<HlsVariant> variants, IReadOnlyList<StreamQuality> qualities)
    {
        if (HlsVariants.Pick(variants, qualities) is not { } picked)
        {
            return new LiveStatus.Offline(
                $"live, but none of the wanted qualities ({string.Join(", ", qualities)}) is offered; it offers {string.Join(", ", variants.Select(v => v.Describe()))}");
        }
        var (quality, variant) = picked;
        return new LiveStatus.Live(variant.Uri, ImmutableDictionary<string, string>.Empty, null) { Quality = $"{quality}: {variant.Describe()}" };
    }

    private static bool IsHlsPlaylist(Uri uri, HttpResponseMessage response) =>
        uri.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase)
        || response.Content.Headers.ContentType?.MediaType?.Contains("mpegurl", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The playlist's text (its first MiB: a finished broadcast often stays online as a complete, long playlist).</summary>
    private static async Task<string> ReadPlaylistAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length).TrimStart('\uFEFF');
    }
}
