using System.Globalization;
using ActorRecorder.Engine.Delivery;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// Retention (<c>storage.retention</c>): at each disk measurement, the local files of the channel's oldest delivered session
/// are deleted when it is too old, when the channel's recordings are too large, or (with <c>min-free-disk-action =
/// purge</c>) when the disk is low — one session at a time, never an undelivered or a pinned one, each deletion journaled.
/// </summary>
public static partial class ChannelDecider
{
    private static void Pin(DecisionBuilder d, PinSession pin)
    {
        var known = d.P.Current?.Id == pin.SessionId || d.P.Ended(pin.SessionId) is not null || d.P.History.Exists(h => h.Id == pin.SessionId);
        if (!known || d.P.Pinned.Contains(pin.SessionId) == pin.Pin)
        {
            return;
        }
        d.Emit(pin.Pin ? new SessionPinned(pin.SessionId, d.Now) : new SessionUnpinned(pin.SessionId, d.Now));
    }

    /// <summary>
    /// Starts deleting the oldest delivered, unpinned session's files when a rule asks for it; true when a deletion runs (or
    /// ran before) for the low disk, so recording need not be held yet.
    /// </summary>
    private static bool Retain(DecisionBuilder d, long free)
    {
        if (d.Settings is not { } settings || !settings.Retention.Enabled)
        {
            return false;
        }
        var retention = settings.Retention;
        var diskLow = retention.PurgeWhenDiskLow && settings.Recording.MinFreeDisk > 0 && free < settings.Recording.MinFreeDisk;
        if (d.R.Purging is not null)
        {
            return diskLow;
        }
        var candidates = d.P.History
            .Where(h => !h.FilesDeleted && h.Directory is not null && !d.P.Pinned.Contains(h.Id) && !d.P.Cleanups.Exists(c => c.SessionId == h.Id))
            .ToList();
        if (candidates.Count == 0)
        {
            return false;
        }
        var oldest = candidates[0];
        var ended = oldest.EndedAt ?? oldest.CompletedAt;
        var kept = candidates.Sum(c => c.Bytes) + d.P.Processing.Sum(s => s.Bytes) + (d.P.Current?.Bytes ?? 0);
        string? reason = null;
        if (retention.MaxAge > TimeSpan.Zero && d.Now - ended > retention.MaxAge)
        {
            reason = $"it ended {Days(d.Now - ended)} ago, longer than max-age ({Days(retention.MaxAge)})";
        }
        else if (retention.MaxSize > 0 && kept > retention.MaxSize)
        {
            reason = $"the channel's recordings take {kept} bytes, more than max-size ({retention.MaxSize} bytes)";
        }
        else if (diskLow)
        {
            reason = $"the disk has {free} bytes free, less than min-free-disk ({settings.Recording.MinFreeDisk} bytes)";
        }
        if (reason is null)
        {
            return false;
        }
        d.Set(r => r with { Purging = (oldest.Id, reason) });
        d.Do(new Log(LogLevel.Information, $"retention: deleting the local files of delivered session {oldest.Id}: {reason}"));
        d.Do(new DeleteFiles(oldest.Id, oldest.Directory!, oldest.Files));
        return diskLow;
    }

    private static void Purged(DecisionBuilder d, CleanupDone done)
    {
        var reason = d.R.Purging!.Value.Reason;
        d.Set(r => r with { Purging = null });
        d.Emit(new SessionPurged(done.SessionId, done.Bytes, reason, d.Now));
    }

    private static void PurgeFailed(DecisionBuilder d, CleanupFailed failed)
    {
        d.Set(r => r with { Purging = null });
        d.Do(new Log(LogLevel.Warning, $"retention could not delete the files of session {failed.SessionId} ({failed.Reason}); it tries again at the next disk check"));
    }

    private static string Days(TimeSpan span) => span >= TimeSpan.FromDays(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hours");
}
