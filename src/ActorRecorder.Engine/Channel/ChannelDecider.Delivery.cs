using System.Collections.Immutable;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Splitting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// After a session ends: cut it into parts (PartsPlanned is persisted before any upload), deliver each part
/// to each target in order (PartUploaded is persisted after each, before the next is sent), then complete
/// the session and, if asked, delete its files. One session at a time per channel, oldest first, one
/// request in flight; a restart continues where the journal says it stopped.
/// </summary>
public static partial class ChannelDecider
{
    private static readonly TimeSpan MaxDeliveryRetryDelay = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CleanupRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>A splitter answers within 10 min plus 1 min per 1.2 GB (a bare -c copy moves ~180 MB/s here).</summary>
    public static TimeSpan SplitTimeout(long bytes) => TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(bytes / 20_000_000.0);

    /// <summary>An upload answers within 15 min plus the time to move the part at 100 kB/s (flood waits included).</summary>
    public static TimeSpan DeliverTimeout(long bytes) => TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(bytes / 100_000.0);

    private static void DecideDelivery(DecisionBuilder d, IChannelInput input)
    {
        switch (input)
        {
            case SessionSplit split when Answers(d, split.RequestId, split.Worker):
                Answered(d);
                if (d.P.Ended(split.SessionId) is { Parts: null })
                {
                    foreach (var skipped in split.Skipped)
                    {
                        d.Emit(new SegmentSkipped(split.SessionId, skipped.Path, skipped.Reason, d.Now));
                    }
                    d.Emit(new PartsPlanned(split.SessionId, split.Parts, d.Now));
                }
                DeliverNext(d);
                break;
            case SplitFailed failed when Answers(d, failed.RequestId, failed.Worker):
                var kind = d.R.Outstanding!.Kind;
                var reason = kind == WorkKind.Split ? $"the session could not be cut into parts: {failed.Reason}" : failed.Reason;
                Answered(d);
                if (kind == WorkKind.Compress && failed.Permanent)
                {
                    d.Emit(new CompressionSkipped(failed.SessionId, failed.Reason, d.Now));
                    DeliverNext(d);
                    break;
                }
                if (!failed.Permanent)
                {
                    WaitBeforeRetry(d, reason);
                    break;
                }
                d.Emit(new SessionFailed(failed.SessionId, reason, d.Now));
                DeliverNext(d);
                break;
            case PartDelivered delivered when Answers(d, delivered.RequestId, delivered.Worker):
                Answered(d);
                d.Set(r => r with { DeliveryFailures = 0 });
                if (d.P.Ended(delivered.SessionId) is { } session && !session.IsUploaded(delivered.Part, delivered.Target))
                {
                    d.Emit(new PartUploaded(delivered.SessionId, delivered.Part, delivered.Target, delivered.Location, d.Now));
                }
                DeliverNext(d);
                break;
            case AlbumDelivered album when Answers(d, album.RequestId, album.Worker):
                Answered(d);
                d.Set(r => r with { DeliveryFailures = 0 });
                if (d.P.Ended(album.SessionId) is { } albumSession && album.Parts.Any(p => !albumSession.IsUploaded(p, album.Target)))
                {
                    d.Emit(new AlbumUploaded(album.SessionId, album.Parts, album.Target, album.Locations, d.Now));
                }
                DeliverNext(d);
                break;
            case DeliveryFailed failed when Answers(d, failed.RequestId, failed.Worker):
                Answered(d);
                DeliveryFailed(d, failed);
                break;
            case CommentPosted comment when Answers(d, comment.RequestId, comment.Worker):
                Answered(d);
                d.Set(r => r with { DeliveryFailures = 0 });
                if (d.P.Ended(comment.SessionId) is { Comment: null })
                {
                    d.Emit(new DiscussionCommentPosted(comment.SessionId, comment.Location, d.Now));
                }
                DeliverNext(d);
                break;
            case SessionCompressed compressed when Answers(d, compressed.RequestId, compressed.Worker):
                Answered(d);
                if (d.P.Ended(compressed.SessionId) is { Compressed: null })
                {
                    d.Emit(new CompressedCopyMade(compressed.SessionId, compressed.Copy, d.Now));
                }
                DeliverNext(d);
                break;
            case PartRecut recut when Answers(d, recut.RequestId, recut.Worker):
                Answered(d);
                if (d.P.Ended(recut.SessionId)?.Parts?.Exists(p => p.Number == recut.Part) == true)
                {
                    d.Emit(new PartReplanned(recut.SessionId, recut.Part, recut.Halves, d.Now));
                }
                DeliverNext(d);
                break;
            case StatusPosted posted:
                if ((d.P.Current?.Id == posted.SessionId ? d.P.Current : d.P.Ended(posted.SessionId)) is { StatusMessageId: null })
                {
                    d.Emit(new StatusMessagePosted(posted.SessionId, posted.MessageId, d.Now));
                }
                break;
            case WorkTimedOut timedOut when d.R.Outstanding?.Id == timedOut.RequestId:
                WorkerFailed(d, $"the {d.R.Outstanding.Kind.ToString().ToLowerInvariant()} request for session {d.R.Outstanding.SessionId} was not answered in time");
                break;
            case WorkerTerminated terminated when terminated.Worker == d.R.Worker:
                if (d.R.Outstanding is { } outstanding)
                {
                    WorkerFailed(d, $"the worker stopped during the {outstanding.Kind.ToString().ToLowerInvariant()} request for session {outstanding.SessionId}");
                }
                else
                {
                    NewWorkers(d);
                }
                break;
            case DeliveryRetryDue when d.R.DeliveryRetryWaiting:
                d.Set(r => r with { DeliveryRetryWaiting = false });
                DeliverNext(d);
                break;
            case RetryFailedSessions:
                RetryFailed(d);
                DeliverNext(d);
                break;
            case CleanupDone done:
                d.Set(r => r with { CleanupsRunning = r.CleanupsRunning.Remove(done.SessionId) });
                if (d.P.Cleanups.Exists(c => c.SessionId == done.SessionId))
                {
                    d.Emit(new LocalFilesDeleted(done.SessionId, done.Bytes, d.Now));
                }
                break;
            case CleanupFailed failed:
                d.Set(r => r with { CleanupsRunning = r.CleanupsRunning.Remove(failed.SessionId) });
                d.Do(new Log(LogLevel.Warning,
                    $"deleting the files of session {failed.SessionId} failed ({failed.Reason}); trying again in {CleanupRetryDelay.TotalSeconds:0} s"));
                d.Do(new StartTimer("cleanup-" + failed.SessionId, new CleanupRetryDue(failed.SessionId), CleanupRetryDelay));
                break;
            case CleanupRetryDue due when d.P.Cleanups.Find(c => c.SessionId == due.SessionId) is { } cleanup:
                StartCleanup(d, cleanup);
                break;
        }
    }

    private static bool Answers(DecisionBuilder d, long requestId, int worker) =>
        d.R.Outstanding is { } outstanding && outstanding.Id == requestId && outstanding.Worker == worker;

    private static void Answered(DecisionBuilder d)
    {
        d.Set(r => r with { Outstanding = null });
        d.Do(new CancelTimer("work"));
    }

    private static void DeliveryFailed(DecisionBuilder d, DeliveryFailed failed)
    {
        if (failed.TooLarge && failed.Part == Session.CompressedCopy)
        {
            d.Emit(new CompressionSkipped(failed.SessionId, $"{failed.Target} refused the compressed copy: {failed.Reason}", d.Now));
            DeliverNext(d);
            return;
        }
        if (failed.TooLarge && d.P.Ended(failed.SessionId)?.Parts?.Find(p => p.Number == failed.Part) is { } part)
        {
            d.Do(new Log(LogLevel.Warning, $"{failed.Reason}: cutting it in two"));
            var format = d.Settings!.Delivery.RemuxTo;
            Request(d, WorkKind.Recut, failed.SessionId, part.Number, null, SplitTimeout(part.Bytes),
                (id, worker) => new ToSplitter(worker, new RecutPart(id, worker, failed.SessionId, part, format)));
            return;
        }
        if (failed.Permanent)
        {
            var what = failed.Target == PostComment.DiscussionTarget ? "the discussion comment" : $"part {failed.Part}";
            d.Emit(new SessionFailed(failed.SessionId, $"{failed.Target} refused {what}: {failed.Reason}", d.Now));
            DeliverNext(d);
            return;
        }
        WaitBeforeRetry(d, $"delivering part {failed.Part} of {failed.SessionId} to {failed.Target} failed ({failed.Reason})");
    }

    /// <summary>The worker died or hung: its request is abandoned, fresh workers take over after a back-off.</summary>
    private static void WorkerFailed(DecisionBuilder d, string why)
    {
        Answered(d);
        NewWorkers(d);
        WaitBeforeRetry(d, why);
    }

    private static void NewWorkers(DecisionBuilder d)
    {
        d.Set(r => r with { Worker = r.Worker + 1 });
        d.Do(new RetireWorkersBefore(d.R.Worker));
    }

    private static void WaitBeforeRetry(DecisionBuilder d, string why)
    {
        var failures = d.R.DeliveryFailures + 1;
        var delay = TimeSpan.FromSeconds(Math.Min(MaxDeliveryRetryDelay.TotalSeconds, Math.Pow(2, failures)));
        d.Set(r => r with { DeliveryFailures = failures, DeliveryRetryWaiting = true });
        d.Do(new Log(LogLevel.Warning, $"{why}; retrying in {delay.TotalSeconds:0} s"));
        d.Do(new StartTimer("delivery-retry", new DeliveryRetryDue(), delay));
    }

    /// <summary>Starts on the oldest session that is not done (or failed), unless a request is under way or waits for its retry.</summary>
    private static void DeliverNext(DecisionBuilder d)
    {
        // (not while segments of the open or last session are still being adopted: they belong to its parts)
        while (d.Settings is { } settings && d.R is { Lifecycle: Lifecycle.Active, Outstanding: null, DeliveryRetryWaiting: false, PendingAdoption: null })
        {
            if (d.R.DeliveryChangePending)
            {
                ApplyDeliveryChange(d);
            }
            var session = d.P.Processing.Find(s => s.FailureReason is null);
            if (session is null)
            {
                return;
            }
            if (settings.Delivery.Targets.Count == 0)
            {
                d.Emit(new SessionCompleted(session.Id, DeleteLocalFiles: false, d.Now)); // nothing to deliver: the files stay where they are
                continue;
            }
            if (session.Parts is null)
            {
                var options = new SplitOptions(settings.Delivery.MaxPartBytes, settings.Delivery.MinSegmentDuration);
                // In recording order: segments adopted while the next attempt already recorded were listed after its own.
                var segments = session.Segments.OrderBy(s => s.Attempt).Select(s => s.Path).ToImmutableList();
                var partsDirectory = Path.Combine(session.Directory, "parts");
                Request(d, WorkKind.Split, session.Id, null, null, SplitTimeout(session.Bytes),
                    (id, worker) => new ToSplitter(worker, new SplitSession(id, worker, session.Id, segments, partsDirectory, options, settings.Delivery.RemuxTo)));
                return;
            }
            foreach (var part in session.Parts)
            {
                foreach (var target in settings.Delivery.Destinations)
                {
                    if (target == DeliverySettings.TelegramBackup && !session.IsUploaded(part.Number, target))
                    {
                        // Telegram has the part (it comes first): copy it, with the parts after it Telegram has and the backup has not.
                        var copies = session.Parts.SkipWhile(p => p.Number != part.Number)
                            .TakeWhile(p => session.IsUploaded(p.Number, "telegram") && !session.IsUploaded(p.Number, target))
                            .Take(100).ToList();
                        var numbers = copies.Select(p => p.Number).ToImmutableList();
                        var sources = copies.Select(p => session.LocationOf(p.Number, "telegram")!).ToImmutableList();
                        Request(d, WorkKind.Deliver, session.Id, part.Number, target, DeliverTimeout(0),
                            (id, worker) => new ToUploader(worker, new CopyParts(id, worker, session.Id, numbers, sources, target)));
                        return;
                    }
                    if (!session.IsUploaded(part.Number, target))
                    {
                        var album = AlbumFrom(session, part, target, settings.Delivery);
                        var items = album.Select(p => new DeliveryItem(d.ChannelId, session.Id, session.Title, session.StartedAt, p, session.Parts.Count)).ToImmutableList();
                        Request(d, WorkKind.Deliver, session.Id, part.Number, target, DeliverTimeout(album.Sum(p => p.Bytes)),
                            (id, worker) => new ToUploader(worker, items.Count == 1 ? new DeliverPart(id, worker, items[0], target) : new DeliverAlbum(id, worker, items, target)));
                        return;
                    }
                }
            }
            if (settings.Delivery.Compress is { } compress && session.CompressionSkipped is null)
            {
                if (session.Compressed is not { } copy)
                {
                    var parts = session.Parts.Select(p => p.Path).ToImmutableList();
                    var output = Path.Combine(session.Directory, "parts", "compressed.mp4");
                    Request(d, WorkKind.Compress, session.Id, null, null, CompressTimeout(session.Parts.Sum(p => p.Duration.TotalSeconds)),
                        (id, worker) => new ToSplitter(worker, new CompressSession(id, worker, session.Id, parts, output, compress.TargetBytes, session.Parts.FirstOrDefault()?.ThumbnailPath)));
                    return;
                }
                if (compress.Targets.FirstOrDefault(t => !session.IsUploaded(Session.CompressedCopy, t)) is { } target)
                {
                    var item = new DeliveryItem(d.ChannelId, session.Id, session.Title, session.StartedAt, copy, session.Parts.Count);
                    Request(d, WorkKind.Deliver, session.Id, Session.CompressedCopy, target, DeliverTimeout(copy.Bytes),
                        (id, worker) => new ToUploader(worker, new DeliverPart(id, worker, item, target)));
                    return;
                }
            }
            if (session.Comment is null && settings.Delivery.Telegram is { DiscussionChatId: not null } && settings.Delivery.Targets.Contains("telegram")
                && session.LocationOf(session.Parts.FirstOrDefault()?.Number ?? -1, "telegram") is { } post)
            {
                var summary = new CommentSummary(d.ChannelId, session.Title, session.StartedAt,
                    TimeSpan.FromSeconds(Math.Round(session.Parts.Sum(p => p.Duration.TotalSeconds))), session.Parts.Count);
                Request(d, WorkKind.Deliver, session.Id, null, PostComment.DiscussionTarget, DeliverTimeout(0),
                    (id, worker) => new ToUploader(worker, new PostComment(id, worker, session.Id, post, summary)));
                return;
            }
            FinishSession(d, session, settings.Delivery.DeleteAfterUpload);
        }
    }

    /// <summary>A compressed copy answers within 30 min plus four times the session's length (two passes of x264 veryfast on a small machine).</summary>
    public static TimeSpan CompressTimeout(double seconds) => TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(seconds * 4);

    /// <summary>
    /// The parts to send together from <paramref name="first"/> on: for Telegram with an album size above 1, the following
    /// parts in order that it does not have yet, up to the album size; otherwise the one part.
    /// </summary>
    private static IReadOnlyList<PartInfo> AlbumFrom(Session session, PartInfo first, string target, Settings.DeliverySettings delivery)
    {
        if (target != "telegram" || delivery.Telegram is not { AlbumSize: > 1 } telegram)
        {
            return [first];
        }
        return session.Parts!.SkipWhile(p => p.Number != first.Number)
            .TakeWhile(p => !session.IsUploaded(p.Number, target))
            .Take(telegram.AlbumSize)
            .ToList();
    }

    private static void Request(DecisionBuilder d, WorkKind kind, string sessionId, int? part, string? target, TimeSpan timeout,
        Func<long, int, ChannelEffect> send)
    {
        var id = d.R.NextRequestId;
        var worker = d.R.Worker;
        d.Set(r => r with { NextRequestId = id + 1, Outstanding = new WorkRequest(id, worker, kind, sessionId, part, target) });
        d.Do(send(id, worker));
        d.Do(new StartTimer("work", new WorkTimedOut(id), timeout));
    }

    /// <summary>Every target has every part: the status message is edited (best effort), the session completes, then its files go if asked.</summary>
    private static void FinishSession(DecisionBuilder d, Session session, bool deleteLocalFiles)
    {
        if (session.StatusMessageId is { } status && session.Parts is { Count: > 0 } parts)
        {
            var duration = TimeSpan.FromSeconds(Math.Round(parts.Sum(p => p.Duration.TotalSeconds)));
            var first = session.LocationOf(parts[0].Number, "telegram");
            d.Do(new ToUploader(d.R.Worker, new EditStatus(status, $"✅ {session.Title ?? d.ChannelId}: {duration:g}, {parts.Count} part(s), delivered", first)));
        }
        d.Emit(new SessionCompleted(session.Id, deleteLocalFiles, d.Now));
        if (d.P.Cleanups.Find(c => c.SessionId == session.Id) is { } cleanup)
        {
            StartCleanup(d, cleanup);
        }
    }

    private static void StartCleanup(DecisionBuilder d, Cleanup cleanup)
    {
        if (d.R.CleanupsRunning.Contains(cleanup.SessionId))
        {
            return;
        }
        d.Set(r => r with { CleanupsRunning = r.CleanupsRunning.Add(cleanup.SessionId) });
        d.Do(new DeleteFiles(cleanup.SessionId, cleanup.Directory, cleanup.Files));
    }

    /// <summary>New delivery settings: fresh workers (with the new targets) once no request is in flight, then failed sessions retry.</summary>
    private static void DeliveryChanged(DecisionBuilder d)
    {
        if (d.R.Outstanding is not null)
        {
            d.Set(r => r with { DeliveryChangePending = true });
            return;
        }
        if (d.R.DeliveryRetryWaiting)
        {
            d.Do(new CancelTimer("delivery-retry"));
            d.Set(r => r with { DeliveryRetryWaiting = false, DeliveryFailures = 0 });
        }
        ApplyDeliveryChange(d);
    }

    private static void ApplyDeliveryChange(DecisionBuilder d)
    {
        d.Set(r => r with { DeliveryChangePending = false });
        NewWorkers(d);
        RetryFailed(d);
    }

    private static void RetryFailed(DecisionBuilder d)
    {
        foreach (var failed in d.P.Processing.Where(s => s.FailureReason is not null).ToList())
        {
            d.Emit(new SessionRetried(failed.Id, d.Now));
        }
    }
}
