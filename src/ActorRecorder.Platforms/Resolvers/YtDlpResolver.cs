using System.Collections.Immutable;
using System.Text.Json;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Sites yt-dlp or streamlink support: <c>yt-dlp -J</c> first, <c>streamlink --json</c> when yt-dlp
/// does not know the URL. Their "offline / not live / upcoming" answers mean offline; anything else
/// they fail with is a <see cref="ResolverException"/>.
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

    public async Task<LiveStatus> ResolveAsync(string channelUrl, CancellationToken cancellationToken)
    {
        try
        {
            var json = await Run(ytDlpPath, ["-J", "--no-warnings", "--no-playlist", "-f", "best", "--", channelUrl], cancellationToken)
                .ConfigureAwait(false);
            return FromYtDlp(json);
        }
        catch (ProcessFailedException ex) when (IsOffline(ex))
        {
            return new LiveStatus.Offline(Summary(ex));
        }
        catch (ProcessFailedException ex) when (ex.StderrTail.Any(l => l.Contains("Unsupported URL", StringComparison.OrdinalIgnoreCase))
                                                || ex.ExitCode is null)
        {
            return await FromStreamlink(channelUrl, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException ex)
        {
            throw new ResolverException($"yt-dlp failed: {Summary(ex)}", ex);
        }
    }

    private async Task<LiveStatus> FromStreamlink(string channelUrl, ProcessFailedException ytDlpFailure, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await Run(streamlinkPath, ["--json", "--", channelUrl, "best"], cancellationToken).ConfigureAwait(false);
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
        return FromStreamlinkJson(json);
    }

    /// <summary>Reads yt-dlp's info JSON.</summary>
    internal static LiveStatus FromYtDlp(string json)
    {
        using var doc = Parse(json, "yt-dlp");
        var root = doc.RootElement;
        var liveStatus = Text(root, "live_status");
        if (liveStatus is "was_live" or "not_live" or "is_upcoming" or "post_live"
            || (root.TryGetProperty("is_live", out var isLive) && isLive.ValueKind == JsonValueKind.False))
        {
            return new LiveStatus.Offline($"not live ({liveStatus ?? "is_live=false"})");
        }
        var url = Text(root, "url") ?? FirstFormatUrl(root)
            ?? throw new ResolverException("yt-dlp gave no stream URL");
        return new LiveStatus.Live(url, Headers(root, "http_headers"), Text(root, "title"));
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

    private async Task<string> Run(string tool, string[] arguments, CancellationToken cancellationToken) =>
        await Tool.RunAsync(tool, arguments, timeout, cancellationToken).ConfigureAwait(false);

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
