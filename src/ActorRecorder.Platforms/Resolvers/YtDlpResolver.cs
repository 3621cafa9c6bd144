using System.Collections.Immutable;
using System.Text.Json;
using ActorRecorder.Media.Processes;
using ActorRecorder.Platforms.Cookies;
using ActorRecorder.Platforms.Quality;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Sites yt-dlp or streamlink support: <c>yt-dlp -J</c> first, <c>streamlink --json</c> when yt-dlp
/// does not know the URL. A scheduled broadcast yt-dlp describes (<c>is_upcoming</c>) is
/// <see cref="LiveStatus.Upcoming"/>; their other "offline / not live" answers mean offline; anything else
/// they fail with is a <see cref="ResolverException"/>. A channel's cookies reach yt-dlp as a private
/// copy of its file (<c>--cookies</c>; yt-dlp writes its jar back, the user's file stays as it was) and
/// streamlink as <c>http-cookie</c> lines of a private config file: never on a command line, never logged. A channel's
/// proxy reaches both in their environment (<c>http_proxy</c>/<c>https_proxy</c>, which both honour), for the same reason.
/// </summary>
public sealed class YtDlpResolver(string ytDlpPath, string streamlinkPath, TimeSpan timeout) : IChannelResolver
{
    private static readonly string[] OfflineMarkers =
    [
        "is offline", "not currently live", "is not live", "will begin", "premieres in", "live event will",
        "http error 404", "no video formats found", "no playable streams", "this live event has ended", "is_upcoming",
    ];

    public string Name => "ytdlp";

    public string PlatformKey(string channelUrl) =>
        Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) ? $"ytdlp:{uri.Host}" : "ytdlp";

    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var cookies = options.CookiesFile is null ? null : NetscapeCookies.CopyForRun(options.CookiesFile);
            string[] arguments = ["-J", "--no-warnings", "--no-playlist", "--ignore-no-formats-error", "-f", StreamQuality.YtDlpSelector(options.Qualities),
                .. cookies is null ? Array.Empty<string>() : ["--cookies", cookies.Path], "--", channelUrl];
            var json = await Run(ytDlpPath, arguments, options, cancellationToken).ConfigureAwait(false);
            return FromYtDlp(json);
        }
        catch (ProcessFailedException ex) when (IsOffline(ex))
        {
            return new LiveStatus.Offline(Summary(ex));
        }
        catch (ProcessFailedException ex) when (ex.StderrTail.Any(l => l.Contains("Unsupported URL", StringComparison.OrdinalIgnoreCase))
                                                || ex.ExitCode is null)
        {
            return await FromStreamlink(channelUrl, options, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException ex)
        {
            throw new ResolverException($"yt-dlp failed: {Summary(ex)}", ex);
        }
    }

    private async Task<LiveStatus> FromStreamlink(string channelUrl, ResolveOptions options, ProcessFailedException ytDlpFailure, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            using var config = options.CookiesFile is null ? null : NetscapeCookies.CopyForRun(options.CookiesFile,
                cookies => string.Concat(cookies.Select(c => $"http-cookie={c.Name}={c.Value}\n")));
            string[] arguments = [.. config is null ? Array.Empty<string>() : ["--config", config.Path], "--json", "--", channelUrl,
                StreamQuality.StreamlinkStreams(options.Qualities)];
            json = await Run(streamlinkPath, arguments, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException ex) when (ex.ExitCode is not null)
        {
            // streamlink --json prints {"error": "..."} with exit code 1 when there is nothing to play.
            return new LiveStatus.Offline("streamlink: no playable stream");
        }
        catch (ProcessFailedException ex)
        {
            throw new ResolverException($"neither yt-dlp ({Summary(ytDlpFailure)}) nor streamlink ({Summary(ex)}) could be used", ex);
        }
        var status = FromStreamlinkJson(json);
        return status is LiveStatus.Live live && options.Qualities.Count > 0
            ? live with { Quality = $"streamlink's first of {StreamQuality.StreamlinkStreams(options.Qualities)}" }
            : status;
    }

    /// <summary>Reads yt-dlp's info JSON.</summary>
    internal static LiveStatus FromYtDlp(string json)
    {
        using var doc = Parse(json, "yt-dlp");
        var root = doc.RootElement;
        var liveStatus = Text(root, "live_status");
        if (liveStatus == "is_upcoming")
        {
            var startsAt = root.TryGetProperty("release_timestamp", out var release) && release.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : (DateTimeOffset?)null;
            return new LiveStatus.Upcoming(Text(root, "title"), startsAt);
        }
        if (liveStatus is "was_live" or "not_live" or "post_live"
            || (root.TryGetProperty("is_live", out var isLive) && isLive.ValueKind == JsonValueKind.False))
        {
            return new LiveStatus.Offline($"not live ({liveStatus ?? "is_live=false"})");
        }
        var url = Text(root, "url") ?? FirstFormatUrl(root);
        if (url is null)
        {
            return liveStatus == "is_live"
                ? throw new ResolverException("yt-dlp says live but gave no stream URL")
                : new LiveStatus.Offline("no playable format (yt-dlp found nothing to record)");
        }
        return new LiveStatus.Live(url, Headers(root, "http_headers"), Text(root, "title")) { Quality = Text(root, "format") };
    }

    /// <summary>Reads streamlink's <c>--json</c> output.</summary>
    internal static LiveStatus FromStreamlinkJson(string json)
    {
        using var doc = Parse(json, "streamlink");
        var root = doc.RootElement;
        if (Text(root, "error") is { } error)
        {
            return new LiveStatus.Offline($"streamlink: {error}");
        }
        var url = Text(root, "url") ?? throw new ResolverException("streamlink gave no stream URL");
        var title = root.TryGetProperty("metadata", out var metadata) ? Text(metadata, "title") : null;
        return new LiveStatus.Live(url, Headers(root, "headers"), title);
    }

    private async Task<string> Run(string tool, string[] arguments, ResolveOptions options, CancellationToken cancellationToken) =>
        await Tool.RunAsync(tool, arguments, timeout, cancellationToken, options.Proxy?.Environment).ConfigureAwait(false);

    private static bool IsOffline(ProcessFailedException ex) =>
        ex.ExitCode is not null && ex.StderrTail.Any(line => OfflineMarkers.Any(m => line.Contains(m, StringComparison.OrdinalIgnoreCase)));

    private static string Summary(ProcessFailedException ex) => ex.StderrTail.LastOrDefault() ?? ex.Reason;

    private static JsonDocument Parse(string json, string tool)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ResolverException($"{tool} printed something that is not JSON: {ex.Message}", ex);
        }
    }

    private static string? FirstFormatUrl(JsonElement root) =>
        root.TryGetProperty("requested_formats", out var formats) && formats.ValueKind == JsonValueKind.Array
            ? formats.EnumerateArray().Select(f => Text(f, "url")).FirstOrDefault(u => u is not null)
            : null;

    private static ImmutableDictionary<string, string> Headers(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return ImmutableDictionary<string, string>.Empty;
        }
        return headers.EnumerateObject()
            .Where(h => h.Value.ValueKind == JsonValueKind.String)
            .ToImmutableDictionary(h => h.Name, h => h.Value.GetString()!);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
