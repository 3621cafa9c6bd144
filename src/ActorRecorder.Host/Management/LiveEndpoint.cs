using System.Buffers;
using System.Diagnostics;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Ffmpeg;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorRecorder.Host.Management;

/// <summary>
/// <c>GET /api/channels/{id}/live</c>: the ongoing recording as one live MPEG-TS stream, read from the segment files
/// ffmpeg is writing (no second connection to the platform): from the start of the segment being written, following it
/// as it grows and on into the next. Each client reads the files at its own pace through one 32 KiB buffer, and Kestrel
/// holds at most 64 KiB more for it (and the kernel 64 KiB), so a slow client costs bounded memory and never slows the recording; a client that
/// took nothing for <c>live-client-timeout</c> is dropped. The stream ends when the recording does.
/// </summary>
internal static class LiveEndpoint
{
    private const int BufferSize = 32 * 1024;
    private const int SocketSendBuffer = 64 * 1024;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(2);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/channels/{id}/live", async (string id, HttpContext context, NodeApi node, ChannelConfigService config, ManagementMetrics metrics) =>
        {
            var ct = context.RequestAborted;
            if (await node.SettingsAsync(id, ct) is not { } settings)
            {
                return ChannelEndpoints.UnknownChannel(id);
            }
            if (settings.Recording.Container != Container.Ts)
            {
                return Problems.Conflict($"channel '{id}' records {settings.Recording.Container} segments; the live stream needs container = ts");
            }
            if (await node.StatusAsync(id, ct) is not { } status)
            {
                return Problems.Unavailable($"channel '{id}' did not answer (it is starting or moving to another node); try again in a few seconds");
            }
            if (NodeApi.CurrentFile(status) is not { } file)
            {
                return Problems.NotFound($"channel '{id}' is not recording now");
            }
            if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
            {
                // What a client has not taken waits in the kernel's send buffer: kept small, a stalled client is noticed
                // (and dropped) within seconds instead of after megabytes.
                socket.SendBufferSize = SocketSendBuffer;
            }
            context.Response.ContentType = "video/mp2t";
            context.Response.Headers.CacheControl = "no-store";
            using var client = metrics.LiveClient();
            await StreamAsync(context, node, id, status, file, config.Settings.Management.LiveClientTimeout);
            return Results.Empty;
        });

    private static async Task StreamAsync(HttpContext context, NodeApi node, string id, ChannelStatus status, string file, TimeSpan clientTimeout)
    {
        var ct = context.RequestAborted;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var source = Open(file);
        using var write = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sinceStatus = Stopwatch.StartNew();
        try
        {
            await context.Response.StartAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct);
                if (read > 0)
                {
                    if (!await WriteAsync(context, write, buffer.AsMemory(0, read), clientTimeout))
                    {
                        return;
                    }
                    continue;
                }
                // At the live edge: the next segment of this attempt (a cheap check, every poll), or the first of a later
                // attempt (a folder listing, with the status check every 2 s).
                var statusDue = sinceStatus.Elapsed > StatusEvery;
                if ((NextOfAttempt(file) ?? (statusDue ? FirstOfLaterAttempt(status.SessionDirectory!, file) : null)) is { } next)
                {
                    // ffmpeg starts a segment after it finished the last one: read what is left of it, then move on.
                    while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                    {
                        if (!await WriteAsync(context, write, buffer.AsMemory(0, read), clientTimeout))
                        {
                            return;
                        }
                    }
                    await source.DisposeAsync();
                    source = Open(file = next);
                    continue;
                }
                if (statusDue)
                {
                    sinceStatus.Restart();
                    var now = await node.StatusAsync(id, ct);
                    if (now is not null && (now.SessionId != status.SessionId || now.FfmpegPid is null && !now.IsRecording))
                    {
                        return; // the recording ended
                    }
                    status = now ?? status;
                }
                await Task.Delay(Poll, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        catch (FileNotFoundException)
        {
            // the segment was set aside or deleted under us: the stream ends
        }
        finally
        {
            await source.DisposeAsync();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes to the client; a client that has not taken it within the timeout is dropped (false).</summary>
    private static async Task<bool> WriteAsync(HttpContext context, CancellationTokenSource write, ReadOnlyMemory<byte> data, TimeSpan timeout)
    {
        write.CancelAfter(timeout);
        try
        {
            await context.Response.Body.WriteAsync(data, write.Token); // Kestrel sends it as it is written: no flush needed
            if (write.TryReset())
            {
                return true; // the timer is stopped for the next write
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
        }
        context.Abort(); // too slow: dropped rather than buffered
        return false;
    }

    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.SequentialScan, BufferSize = 0 });

    /// <summary>The next segment of the same attempt, when ffmpeg has started it (<c>a001-00042.ts</c> → <c>a001-00043.ts</c>).</summary>
    private static string? NextOfAttempt(string current)
    {
        var name = Path.GetFileName(current);
        if (!SegmentFileName.TryParse(name, out var attempt, out var number))
        {
            return null;
        }
        var next = Path.Combine(Path.GetDirectoryName(current)!,
            $"{SegmentFileName.Prefix(attempt)}-{(number + 1).ToString("00000", System.Globalization.CultureInfo.InvariantCulture)}{Path.GetExtension(name)}");
        return File.Exists(next) ? next : null;
    }

    /// <summary>The first segment of a later attempt in the session folder (ffmpeg was restarted).</summary>
    private static string? FirstOfLaterAttempt(string directory, string current) =>
        SegmentFileName.TryParse(Path.GetFileName(current), out var attempt, out _)
            ? Directory.EnumerateFiles(directory, "a*.ts")
                .Where(path => SegmentFileName.TryParse(Path.GetFileName(path), out var later, out _) && later > attempt)
                .Order(SegmentFileName.Comparer)
                .FirstOrDefault()
            : null;
}
