using ActorRecorder.Media.FileSystem;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Probing;

/// <summary>What happened to a segment ffmpeg did not finish (it crashed, stalled, or the node died).</summary>
public abstract record AdoptionResult
{
    private AdoptionResult() { }

    /// <summary>Playable and kept; <paramref name="TruncatedFrom"/> is the original size when a torn tail was cut off.</summary>
    public sealed record Kept(TimeSpan Duration, long Bytes, long? TruncatedFrom) : AdoptionResult;

    /// <summary>Not playable: renamed to <c>*.discarded</c> (never deleted: nothing recorded is destroyed).</summary>
    public sealed record Dropped(string Reason, string? DiscardedPath) : AdoptionResult;
}

/// <summary>
/// Adopts a partial segment: for MPEG-TS (fixed 188-byte packets) first cuts a torn last packet off;
/// keeps the file when ffprobe reads media from it; otherwise sets it aside with the reason. A bad file never
/// throws: ffprobe failing, timing out or missing, and any IO error, all set the segment aside (renamed
/// <c>*.discarded</c> when it can be). Only cancellation through the caller's token escapes.
/// </summary>
public sealed class SegmentAdopter(Ffprobe ffprobe, TimeSpan probeTimeout)
{
    private const int TsPacket = 188;

    /// <summary>The ffprobe the adopter runs (the management API's probe uses it too).</summary>
    public Ffprobe Ffprobe => ffprobe;

    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<AdoptionResult> AdoptAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await AdoptOrThrowAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await BlockingIo.Run(() => Discard(path, $"could not be read: {ex.Message}")).ConfigureAwait(false);
        }
    }

    private async Task<AdoptionResult> AdoptOrThrowAsync(string path, CancellationToken cancellationToken)
    {
        // The file system is touched on a blocking-I/O thread (the folder may be on a mount that hangs); ffprobe runs as its own process.
        var (bytes, truncatedFrom, early) = await BlockingIo.Run(() => Prepare(path)).ConfigureAwait(false);
        if (early is not null)
        {
            return early;
        }
        var probe = await TryProbe(path, cancellationToken).ConfigureAwait(false);
        return probe.Result is { } playable
            ? new AdoptionResult.Kept(playable.Duration ?? TimeSpan.Zero, bytes, truncatedFrom)
            : await BlockingIo.Run(() => Discard(path, $"unplayable: {probe.Error}")).ConfigureAwait(false);
    }

    /// <summary>The file's size once a torn last TS packet is cut off, or the result when there is nothing to probe.</summary>
    private static (long Bytes, long? TruncatedFrom, AdoptionResult? Early) Prepare(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (0, null, new AdoptionResult.Dropped("the file does not exist", null));
        }
        if (info.Length == 0)
        {
            return (0, null, Discard(path, "the file is empty"));
        }
        long? truncatedFrom = null;
        if (path.EndsWith(".ts", StringComparison.OrdinalIgnoreCase) && info.Length % TsPacket != 0)
        {
            // A crash leaves a torn last packet; cut it before anything reads or joins the file.
            truncatedFrom = info.Length;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
            stream.SetLength(info.Length / TsPacket * TsPacket);
            stream.Flush();
        }
        var bytes = new FileInfo(path).Length;
        return bytes == 0 ? (0, truncatedFrom, Discard(path, "no whole packet in the file")) : (bytes, truncatedFrom, null);
    }

    private async Task<(ProbeResult? Result, string? Error)> TryProbe(string path, CancellationToken cancellationToken)
    {
        try
        {
            var probe = await ffprobe.ProbeAsync(path, probeTimeout, cancellationToken).ConfigureAwait(false);
            return probe.Streams.Count > 0 && (probe.HasVideo || probe.HasAudio) && probe.Duration is { } d && d > TimeSpan.Zero
                ? (probe, null)
                : (null, "no media streams with a duration");
        }
        catch (ProcessFailedException ex) when (ex.ExitCode is not null)
        {
            return (null, ex.StderrTail.LastOrDefault() ?? ex.Reason);
        }
        catch (ProcessFailedException ex)
        {
            // ffprobe did not start or timed out: the file cannot be vouched for, so it is set aside (never deleted).
            return (null, $"ffprobe {ex.Reason}");
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    private static AdoptionResult.Dropped Discard(string path, string reason)
    {
        var discarded = path + ".discarded";
        try
        {
            File.Move(path, discarded, overwrite: true);
            return new AdoptionResult.Dropped(reason, discarded);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AdoptionResult.Dropped(reason, null);
        }
    }
}
