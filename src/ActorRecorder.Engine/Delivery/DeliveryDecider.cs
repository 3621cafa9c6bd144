using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Splitting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// The delivery rules, pure like the channel's and over their own slice of its state (<see cref="DeliveryRuntime"/>, with the
/// sessions the journal holds): after a session ends, cut it into parts (PartsPlanned is persisted before any upload),
/// deliver each part to each destination in order (PartUploaded is persisted after each, before the next is sent), then
/// complete the session and, if asked, delete its files. One session at a time per channel, oldest first, one request in
/// flight; a restart continues where the journal says it stopped. The rules ask a <see cref="DeliveryTarget"/> what it can
/// do (albums, copies, comments, a status board), never which target it is.
/// </summary>
public static partial class DeliveryDecider
{
    private static readonly TimeSpan MaxDeliveryRetryDelay = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CleanupRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>A splitter answers within 10 min plus 1 min per 1.2 GB (a bare -c copy moves ~180 MB/s here).</summary>
    public static TimeSpan SplitTimeout(long bytes) => TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(bytes / 20_000_000.0);

    /// <summary>An upload answers within 15 min plus the time to move the part at 100 kB/s (flood waits included).</summary>
    public static TimeSpan DeliverTimeout(long bytes) => TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(bytes / 100_000.0);

    /// <summary>Decides on an input that belongs to delivery (any other is ignored).</summary>
    internal static void Decide(DecisionBuilder d, IChannelInput input)
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
                var kind = d.Delivery.Outstanding!.Kind;
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
                d.SetDelivery(s => s with { Failures = 0 });
                if (d.P.Ended(delivered.SessionId) is { } session && !session.IsUploaded(delivered.Part, delivered.Target))
                {
                    d.Emit(new PartUploaded(delivered.SessionId, delivered.Part, delivered.Target, delivered.Location, d.Now));
                }
                DeliverNext(d);
                break;
            case AlbumDelivered album when Answers(d, album.RequestId, album.Worker):
                Answered(d);
                d.SetDelivery(s => s with { Failures = 0 });
                if (d.P.Ended(album.SessionId) is { } albumSession && album.Parts.Any(p => !albumSession.IsUploaded(p, album.Target)))
                {
                    d.Emit(new AlbumUploaded(album.SessionId, album.Parts, album.Target, album.Locations, d.Now));
                }
                DeliverNext(d);
                break;
            case DeliveryFailed failed when Answers(d, failed.RequestId, failed.Worker):
                var commenting = d.Delivery.Outstanding!.Kind == WorkKind.Comment;
                Answered(d);
                DeliveryFailed(d, failed, commenting);
                break;
            case CommentPosted comment when Answers(d, comment.RequestId, comment.Worker):
                Answered(d);
                d.SetDelivery(s => s with { Failures = 0 });
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
            case WorkTimedOut timedOut when d.Delivery.Outstanding?.Id == timedOut.RequestId:
                WorkerFailed(d, $"the {d.Delivery.Outstanding.Kind.ToString().ToLowerInvariant()} request for session {d.Delivery.Outstanding.SessionId} was not answered in time");
                break;
            case WorkerTerminated terminated when terminated.Worker == d.Delivery.Worker:
                if (d.Delivery.Outstanding is { } outstanding)
                {
                    WorkerFailed(d, $"the worker stopped during the {outstanding.Kind.ToString().ToLowerInvariant()} request for session {outstanding.SessionId}");
                }
                else
                {
                    NewWorkers(d);
                }
                break;
            case DeliveryRetryDue when d.Delivery.RetryWaiting:
                d.SetDelivery(s => s with { RetryWaiting = false });
                DeliverNext(d);
                break;
            case RetryFailedSessions:
                RetryFailed(d);
                DeliverNext(d);
                break;
            case CleanupDone done:
                d.SetDelivery(s => s with { CleanupsRunning = s.CleanupsRunning.Remove(done.SessionId) });
                if (d.P.Cleanups.Exists(c => c.SessionId == done.SessionId))
                {
                    d.Emit(new LocalFilesDeleted(done.SessionId, done.Bytes, d.Now));
                }
                break;
            case CleanupFailed failed:
                d.SetDelivery(s => s with { CleanupsRunning = s.CleanupsRunning.Remove(failed.SessionId) });
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
        d.Delivery.Outstanding is { } outstanding && outstanding.Id == requestId && outstanding.Worker == worker;

    private static void Answered(DecisionBuilder d)
    {
        d.SetDelivery(s => s with { Outstanding = null });
        d.Do(new CancelTimer("work"));
    }

    private static void DeliveryFailed(DecisionBuilder d, DeliveryFailed failed, bool comment)
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
            var what = comment ? "the session's comment" : $"part {failed.Part}";
            d.Emit(new SessionFailed(failed.SessionId, $"{failed.Target} refused {what}: {failed.Reason}", d.Now));
            DeliverNext(d);
            return;
        }
        WaitBeforeRetry(d, comment
            ? $"commenting on session {failed.SessionId} on {failed.Target} failed ({failed.Reason})"
            : $"delivering part {failed.Part} of {failed.SessionId} to {failed.Target} failed ({failed.Reason})");
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
        d.SetDelivery(s => s with { Worker = s.Worker + 1 });
        d.Do(new RetireWorkersBefore(d.Delivery.Worker));
    }

    private static void WaitBeforeRetry(DecisionBuilder d, string why)
    {
        var failures = d.Delivery.Failures + 1;
        var delay = TimeSpan.FromSeconds(Math.Min(MaxDeliveryRetryDelay.TotalSeconds, Math.Pow(2, failures)));
        d.SetDelivery(s => s with { Failures = failures, RetryWaiting = true });
        d.Do(new Log(LogLevel.Warning, $"{why}; retrying in {delay.TotalSeconds:0} s"));
        d.Do(new StartTimer("delivery-retry", new DeliveryRetryDue(), delay));
    }

    /// <summary>Starts on the oldest session that is not done (or failed), unless a request is under way or waits for its retry.</summary>
    internal static void DeliverNext(DecisionBuilder d)
    {
        // (not while segments of the open or last session are still being adopted: they belong to its parts)
        while (d.Settings is { } settings && d.R is { Lifecycle: Lifecycle.Active, PendingAdoption: null } && d.Delivery is { Outstanding: null, RetryWaiting: false })
        {
            if (d.Delivery.ChangePending)
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
            var destinations = settings.Delivery.Destinations;
            foreach (var part in session.Parts)
            {
                foreach (var target in destinations)
                {
                    if (session.IsUploaded(part.Number, target.Name))
                    {
                        continue;
                    }
                    if (target.CopiesFrom is { } source)
                    {
                        // The source has the part (it comes first): copy it, with the parts after it the source has and this target has not.
                        var copies = session.Parts.SkipWhile(p => p.Number != part.Number)
                            .TakeWhile(p => session.IsUploaded(p.Number, source) && !session.IsUploaded(p.Number, target.Name))
                            .Take(MaxCopiesPerRequest).ToList();
                        var numbers = copies.Select(p => p.Number).ToImmutableList();
                        var sources = copies.Select(p => session.LocationOf(p.Number, source)!).ToImmutableList();
                        Request(d, WorkKind.Deliver, session.Id, part.Number, target.Name, DeliverTimeout(0),
                            (id, worker) => new ToUploader(worker, new CopyParts(id, worker, session.Id, numbers, sources, target.Name)));
                        return;
                    }
                    var album = AlbumFrom(session, part, target);
                    var items = album.Select(p => new DeliveryItem(d.ChannelId, session.Id, session.Title, session.StartedAt, p, session.Parts.Count)).ToImmutableList();
                    Request(d, WorkKind.Deliver, session.Id, part.Number, target.Name, DeliverTimeout(album.Sum(p => p.Bytes)),
                        (id, worker) => new ToUploader(worker, items.Count == 1 ? new DeliverPart(id, worker, items[0], target.Name) : new DeliverAlbum(id, worker, items, target.Name)));
                    return;
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
            if (session.Comment is null && destinations.FirstOrDefault(t => t.Comments) is { } commenter
                && session.LocationOf(session.Parts.FirstOrDefault()?.Number ?? -1, commenter.Name) is { } post)
            {
                var summary = new CommentSummary(d.ChannelId, session.Title, session.StartedAt,
                    TimeSpan.FromSeconds(Math.Round(session.Parts.Sum(p => p.Duration.TotalSeconds))), session.Parts.Count);
                Request(d, WorkKind.Comment, session.Id, null, commenter.Name, DeliverTimeout(0),
                    (id, worker) => new ToUploader(worker, new PostComment(id, worker, session.Id, commenter.Name, post, summary)));
                return;
            }
            FinishSession(d, session, settings.Delivery.DeleteAfterUpload);
        }
    }

    /// <summary>A compressed copy answers within 30 min plus four times the session's length (two passes of x264 veryfast on a small machine).</summary>
    public static TimeSpan CompressTimeout(double seconds) => TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(seconds * 4);

    /// <summary>How many parts one copy request carries at most (Telegram's <c>copyMessages</c> takes 100).</summary>
    private const int MaxCopiesPerRequest = 100;

    /// <summary>
    /// The parts to send together from <paramref name="first"/> on: for a target that takes albums, the following parts in
    /// order that it does not have yet, up to its album size; otherwise the one part.
    /// </summary>
    private static IReadOnlyList<PartInfo> AlbumFrom(Session session, PartInfo first, DeliveryTarget target) =>
        target.AlbumSize <= 1
            ? [first]
            : session.Parts!.SkipWhile(p => p.Number != first.Number)
                .TakeWhile(p => !session.IsUploaded(p.Number, target.Name))
                .Take(target.AlbumSize)
                .ToList();

    private static void Request(DecisionBuilder d, WorkKind kind, string sessionId, int? part, string? target, TimeSpan timeout,
        Func<long, int, ChannelEffect> send)
    {
        var id = d.Delivery.NextRequestId;
        var worker = d.Delivery.Worker;
        d.SetDelivery(s => s with { NextRequestId = id + 1, Outstanding = new WorkRequest(id, worker, kind, sessionId, part, target) });
        d.Do(send(id, worker));
        d.Do(new StartTimer("work", new WorkTimedOut(id), timeout));
    }

    /// <summary>Every target has every part: the status message is edited (best effort), the session completes, then its files go if asked.</summary>
    private static void FinishSession(DecisionBuilder d, Session session, bool deleteLocalFiles)
    {
        if (session.StatusMessageId is { } status && session.Parts is { Count: > 0 } parts && Board(d) is { } board)
        {
            var duration = TimeSpan.FromSeconds(Math.Round(parts.Sum(p => p.Duration.TotalSeconds)));
            var note = new StatusNote(StatusKind.Delivered, d.ChannelId, session.Title) { Duration = duration, Parts = parts.Count };
            d.Do(new ToUploader(d.Delivery.Worker, new EditStatus(board.Name, status, note, session.LocationOf(parts[0].Number, board.Name))));
        }
        d.Emit(new SessionCompleted(session.Id, deleteLocalFiles, d.Now));
        if (d.P.Cleanups.Find(c => c.SessionId == session.Id) is { } cleanup)
        {
            StartCleanup(d, cleanup);
        }
    }

    internal static void StartCleanup(DecisionBuilder d, Cleanup cleanup)
    {
        if (d.Delivery.CleanupsRunning.Contains(cleanup.SessionId))
        {
            return;
        }
        d.SetDelivery(s => s with { CleanupsRunning = s.CleanupsRunning.Add(cleanup.SessionId) });
        d.Do(new DeleteFiles(cleanup.SessionId, cleanup.Directory, cleanup.Files));
    }

    /// <summary>New delivery settings: fresh workers (with the new targets) once no request is in flight, then failed sessions retry.</summary>
    internal static void SettingsChanged(DecisionBuilder d)
    {
        if (d.Delivery.Outstanding is not null)
        {
            d.SetDelivery(s => s with { ChangePending = true });
            return;
        }
        if (d.Delivery.RetryWaiting)
        {
            d.Do(new CancelTimer("delivery-retry"));
            d.SetDelivery(s => s with { RetryWaiting = false, Failures = 0 });
        }
        ApplyDeliveryChange(d);
    }

    private static void ApplyDeliveryChange(DecisionBuilder d)
    {
        d.SetDelivery(s => s with { ChangePending = false });
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
