using System.Text.Json;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Probing;
using ActorRecorder.Platforms.Resolvers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorRecorder.Host.Management;

/// <summary>
/// Recordings (<c>/api/recordings</c>), signed download links and the downloads themselves (with Range), retrying a failed
/// delivery, and probing a URL the way a channel would be checked.
/// </summary>
internal static class RecordingEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] DirectStreamSuffixes = [".m3u8", ".ts", ".flv", ".mp4", ".mkv", ".mpd"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings", async (HttpRequest request, NodeApi node, CancellationToken ct) =>
        {
            var channels = await node.ChannelsAsync(ct);
            if (request.Query.TryGetValue("channel", out var only))
            {
                channels = channels.Where(c => c.Id == only.ToString()).ToList();
                if (channels.Count == 0)
                {
                    return ChannelEndpoints.UnknownChannel(only.ToString());
                }
            }
            return Results.Ok(await node.RecordingsAsync(channels, ct));
        });
        foreach (var (method, pin) in new[] { ("POST", true), ("DELETE", false) })
        {
            app.MapMethods("/api/recordings/{session}/pin", [method], async (string session, HttpRequest request, NodeApi node, CancellationToken ct) =>
            {
                if (await FindAsync(session, request, node, ct) is not { } found)
                {
                    return UnknownSession(session);
                }
                node.Tell(found.Settings.Id, new PinSession(session, pin));
                return Results.Json(new { channel = found.Settings.Id, session, pinned = pin }, ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
            });
        }
        app.MapPost("/api/recordings/{session}/{part}/link", async (string session, string part, HttpRequest request, NodeApi node,
            ManagementToken token, ChannelConfigService config, TimeProvider time, CancellationToken ct) =>
        {
            if (!int.TryParse(part, out var number) || number < 1)
            {
                return Problems.BadRequest($"part must be a part number (1, 2, ...), got '{part}'");
            }
            if (await FindAsync(session, request, node, ct) is not { } found)
            {
                return UnknownSession(session);
            }
            if (found.Recording.Parts.FirstOrDefault(p => p.Number == number) is not { } partView)
            {
                return Problems.NotFound(found.Recording.Parts.Count == 0
                    ? $"session {session} has no parts yet (it is {found.Recording.State}); parts are cut when the session ends"
                    : $"session {session} has parts 1 to {found.Recording.Parts.Count}, not {number}");
            }
            var root = found.Settings.Recording.OutputDir;
            var relative = Path.GetRelativePath(root, partView.File).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                return Problems.NotFound($"part {number} of session {session} is not under the channel's recordings folder {root}");
            }
            if (!File.Exists(partView.File))
            {
                return Problems.NotFound($"part {number} of session {session} is no longer on disk ({partView.File})");
            }
            var expires = time.GetUtcNow() + config.Settings.Management.LinkTtl;
            var link = DownloadLinks.PathAndQuery(token.LinkKey, found.Settings.Id, relative, expires);
            return Results.Ok(new LinkView($"{request.Scheme}://{request.Host}{link}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds())));
        });
        app.MapGet("/download/{channel}/{**path}", async (string channel, string? path, HttpRequest request, NodeApi node, ManagementToken token,
            TimeProvider time, CancellationToken ct) =>
        {
            path ??= "";
            if (DownloadLinks.Refusal(token.LinkKey, channel, path, request.Query["exp"], request.Query["sig"], time.GetUtcNow()) is { } refusal)
            {
                return Problems.Forbidden(refusal);
            }
            if (await node.SettingsAsync(channel, ct) is not { } settings || Resolve(settings.Recording.OutputDir, path) is not { } file)
            {
                return Problems.NotFound("no such file in the recordings");
            }
            return Results.File(file, file.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t" : "application/octet-stream",
                Path.GetFileName(file), enableRangeProcessing: true);
        });
        app.MapPost("/api/uploads/{session}/retry", async (string session, HttpRequest request, NodeApi node, CancellationToken ct) =>
        {
            if (await FindAsync(session, request, node, ct) is not { } found)
            {
                return UnknownSession(session);
            }
            if (found.Recording.State != "failed")
            {
                return Problems.Conflict($"session {session} has not failed (it is {found.Recording.State}): there is nothing to retry");
            }
            node.Tell(found.Settings.Id, new RetryFailedSessions());
            return Results.Json(new RetryView(found.Settings.Id, session), ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
        });
        app.MapPost("/api/probe", ProbeAsync);
    }

    private static IResult UnknownSession(string session) =>
        Problems.NotFound($"no session '{session}' in any channel; GET /api/recordings lists them");

    /// <summary>The session with that id (in the channel the query names, or in any channel).</summary>
    private static async Task<(ChannelSettings Settings, RecordingView Recording)?> FindAsync(string session, HttpRequest request, NodeApi node,
        CancellationToken ct)
    {
        var channels = await node.ChannelsAsync(ct);
        if (request.Query.TryGetValue("channel", out var only))
        {
            channels = channels.Where(c => c.Id == only.ToString()).ToList();
        }
        var recording = (await node.RecordingsAsync(channels, ct)).FirstOrDefault(r => r.Session == session);
        return recording is null ? null : (channels.First(c => c.Id == recording.Channel), recording);
    }

    /// <summary>The file under <paramref name="root"/> that <paramref name="relative"/> names; null when it is outside the folder or missing.</summary>
    public static string? Resolve(string root, string relative)
    {
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(root, relative));
        }
        catch (ArgumentException)
        {
            return null;
        }
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }

    private static async Task<IResult> ProbeAsync(HttpRequest request, EngineServices services, CancellationToken ct)
    {
        ProbeRequest? probe;
        try
        {
            probe = await JsonSerializer.DeserializeAsync<ProbeRequest>(request.Body, ManagementJson.Options, ct);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"the body is not valid JSON ({ex.Message}); expected {{\"url\": \"https://...\"}}");
        }
        if (probe?.Url is not { Length: > 0 } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !EngineSettings.UrlSchemes.Contains(uri.Scheme))
        {
            return Problems.BadRequest($"'url' must be an absolute URL with scheme {string.Join(", ", EngineSettings.UrlSchemes)}; got '{probe?.Url}'");
        }
        var resolverName = probe.Resolver ?? (IsDirectStream(uri) ? "generic" : "ytdlp");
        if (!services.Resolvers.TryGetValue(resolverName, out var resolver))
        {
            return Problems.BadRequest($"unknown resolver '{resolverName}'; known: {string.Join(", ", services.Resolvers.Keys.Order(StringComparer.Ordinal))}");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        var tools = resolverName == "ytdlp"
            ? string.Join(", ", (await services.Tools.ReportAsync(timeout.Token)).Select(r => r.Problem is { } problem ? $"{r.Name} {r.Version ?? "?"} ({problem})" : $"{r.Name} {r.Version}"))
            : null;
        LiveStatus status;
        try
        {
            status = await services.Gate.ResolveAsync(resolver, url, ResolveOptions.None, timeout.Token);
        }
        catch (ResolverException ex)
        {
            return Results.Problem(tools is null ? ex.Message : $"{ex.Message} (tools: {tools})", statusCode: StatusCodes.Status502BadGateway,
                title: "The platform could not be asked");
        }
        switch (status)
        {
            case LiveStatus.Offline offline:
                return Results.Ok(new ProbeView(url, resolverName, false, null, offline.Reason, null, []) { Tools = tools });
            case LiveStatus.Upcoming upcoming:
                var starts = upcoming.StartsAt is { } at ? $"starts at {at:yyyy-MM-dd HH:mm} UTC" : "start time not announced";
                return Results.Ok(new ProbeView(url, resolverName, false, upcoming.Title, $"scheduled, not live yet ({starts})", null, []) { Tools = tools });
        }
        var live = (LiveStatus.Live)status;
        IReadOnlyList<StreamView> streams = [];
        string? reason = null;
        try
        {
            var probed = await services.Adopter.Ffprobe.ProbeAsync(live.StreamUrl, TimeSpan.FromSeconds(15), timeout.Token);
            streams = probed.Streams.Select(s => new StreamView(s.Index, s.CodecType, s.CodecName, s.Width, s.Height)).ToList();
        }
        catch (Exception ex) when (ex is Media.Processes.ProcessFailedException or FormatException)
        {
            reason = "the stream could not be probed: " + ex.Message;
        }
        return Results.Ok(new ProbeView(url, resolverName, true, live.Title, reason, live.StreamUrl, streams) { Tools = tools });
    }

    private static bool IsDirectStream(Uri uri) =>
        uri.Scheme is not ("http" or "https") || DirectStreamSuffixes.Any(suffix => uri.AbsolutePath.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
}
