using ActorRecorder.Actors;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Media.Splitting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// After a session ends: cut it into parts (PartsPlanned is persisted before any upload), deliver each part
/// to each target in order (PartUploaded persisted after each, before the next is sent), then delete the
/// local files if asked and complete the session. One session at a time per channel, oldest first; a
/// restart continues where the journal says it stopped.
/// </summary>
public sealed partial class ChannelActor
{
    private static readonly TimeSpan MaxDeliveryRetryDelay = TimeSpan.FromMinutes(5);
    private IActorRef? _splitter;
    private IActorRef? _uploader;
    private string? _delivering;
    private int _deliveryFailures;
    private int _workerGeneration;
    private bool _deliveryChanged;

    private Settings.DeliverySettings Delivery => _settings.Delivery;

    private void StartDeliveryWorkers()
    {
        if (_splitter is not null)
        {
            Context.Stop(_splitter);
            Context.Stop(_uploader!);
        }
        var suffix = _workerGeneration++ == 0 ? "" : "-" + _workerGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _splitter = Context.ActorOf(SplitterActor.Props(Recording.FfmpegPath, Recording.FfprobePath), "splitter" + suffix);
        var targets = new Dictionary<string, IUploadTarget>(StringComparer.Ordinal)
        {
            ["archive"] = new ArchiveTarget(Delivery.ArchivePath),
        };
        if (Delivery.Telegram is { } telegram)
        {
            targets["telegram"] = new TelegramTarget(_services.TelegramClient(telegram, Context.System.Time), telegram);
        }
        _uploader = Context.ActorOf(UploaderActor.Props(targets, _services.UploadGate), "uploader" + suffix);
    }

    /// <summary>Starts on the oldest session that is not done (or failed), unless one is under way.</summary>
    private void DeliverNextSession()
    {
        if (_delivering is not null || _shuttingDown)
        {
            return;
        }
        var session = _state.Processing.FirstOrDefault(s => s.FailureReason is null);
        if (session is null)
        {
            return;
        }
        _delivering = session.Id;
        if (Delivery.Targets.Count == 0)
        {
            Record(new SessionCompleted(session.Id, Now), AfterSession); // nothing to deliver: the files stay where they are
        }
        else if (session.Parts is null)
        {
            var options = new SplitOptions(Delivery.MaxPartBytes, Delivery.MinSegmentDuration);
            _splitter!.Tell(new SplitSession(session.Id, session.Segments.Select(s => s.Path).ToArray(),
                Path.Combine(session.Directory, "parts"), options, Delivery.RemuxTo));
        }
        else
        {
            DeliverNextPart(session);
        }
    }

    private void OnSessionSplit(SessionSplit split)
    {
        if (split.SessionId != _delivering)
        {
            return;
        }
        var now = Now;
        foreach (var skipped in split.Skipped)
        {
            Record(new SegmentSkipped(split.SessionId, skipped.Path, skipped.Reason, now));
        }
        Record(new PartsPlanned(split.SessionId, split.Parts, now), () => DeliverNextPart(_state.Processing.Single(s => s.Id == split.SessionId)));
    }

    private void OnSplitFailed(SplitFailed failed)
    {
        if (failed.SessionId == _delivering)
        {
            Record(new SessionFailed(failed.SessionId, $"the session could not be cut into parts: {failed.Reason}", Now), AfterSession);
        }
    }

    private void DeliverNextPart(SessionState session)
    {
        foreach (var part in session.Parts!)
        {
            foreach (var target in Delivery.Targets)
            {
                if (!session.Uploaded.Contains((part.Number, target)))
                {
                    var item = new DeliveryItem(Id, session.Id, session.Title, session.StartedAt, part, session.Parts!.Count);
                    _uploader!.Tell(new DeliverPart(item, target));
                    return;
                }
            }
        }
        FinishSession(session);
    }

    private void OnPartDelivered(PartDelivered delivered)
    {
        if (delivered.SessionId != _delivering)
        {
            return;
        }
        _deliveryFailures = 0;
        Record(new PartUploaded(delivered.SessionId, delivered.Part, delivered.Target, delivered.Location, Now),
            () => DeliverNextPart(_state.Processing.Single(s => s.Id == delivered.SessionId)));
    }

    private void OnDeliveryFailed(DeliveryFailed failed)
    {
        if (failed.SessionId != _delivering)
        {
            return;
        }
        if (failed.TooLarge && _state.Processing.FirstOrDefault(s => s.Id == failed.SessionId)?.Parts?.FirstOrDefault(p => p.Number == failed.Part) is { } part)
        {
            Log.LogWarning("{Reason}: cutting it in two", failed.Reason);
            _splitter!.Tell(new RecutPart(failed.SessionId, part, Delivery.RemuxTo));
            return;
        }
        if (failed.Permanent)
        {
            Record(new SessionFailed(failed.SessionId, $"{failed.Target} refused part {failed.Part}: {failed.Reason}", Now), AfterSession);
            return;
        }
        _deliveryFailures++;
        var delay = TimeSpan.FromSeconds(Math.Min(MaxDeliveryRetryDelay.TotalSeconds, Math.Pow(2, _deliveryFailures)));
        Log.LogWarning("delivering part {Part} of {Session} to {Target} failed ({Reason}); retrying in {Seconds} s",
            failed.Part, failed.SessionId, failed.Target, failed.Reason, delay.TotalSeconds);
        Timers.StartSingleTimer("delivery-retry", new RetryDelivery(failed.SessionId), delay);
    }

    private void OnRetryDelivery(RetryDelivery retry)
    {
        if (retry.SessionId == _delivering && _state.Processing.FirstOrDefault(s => s.Id == retry.SessionId) is { Parts: not null } session)
        {
            DeliverNextPart(session);
        }
    }

    /// <summary>Every target has every part: delete the local files if asked (never on failure), then complete.</summary>
    private void OnPartRecut(PartRecut recut)
    {
        if (recut.SessionId == _delivering)
        {
            Record(new PartReplanned(recut.SessionId, recut.Part, recut.Halves, Now),
                () => DeliverNextPart(_state.Processing.Single(s => s.Id == recut.SessionId)));
        }
    }

    private void OnStatusPosted(StatusPosted posted) => Record(new StatusMessagePosted(posted.SessionId, posted.MessageId, Now));

    private void FinishSession(SessionState session)
    {
        if (session.StatusMessageId is { } status && session.Parts is { Count: > 0 } parts)
        {
            var duration = TimeSpan.FromSeconds(Math.Round(parts.Sum(p => p.Duration.TotalSeconds)));
            var first = session.Locations.GetValueOrDefault((parts[0].Number, "telegram"));
            _uploader!.Tell(new EditStatus(status, $"✅ {session.Title ?? Id}: {duration:g}, {parts.Count} part(s), delivered", first));
        }
        if (Delivery.DeleteAfterUpload)
        {
            var freed = DeleteLocalFiles(session);
            Record(new LocalFilesDeleted(session.Id, freed, Now));
        }
        Record(new SessionCompleted(session.Id, Now), AfterSession);
    }

    private static long DeleteLocalFiles(SessionState session)
    {
        long freed = 0;
        var files = session.Segments.Select(s => s.Path)
            .Concat(session.Parts?.SelectMany(p => new[] { p.Path, p.ThumbnailPath }).OfType<string>() ?? []);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (info.Exists)
            {
                freed += info.Length;
                info.Delete();
            }
        }
        foreach (var csv in Directory.Exists(session.Directory) ? Directory.EnumerateFiles(session.Directory, "*.segments.csv") : [])
        {
            File.Delete(csv);
        }
        // The parts folder also holds parts replaced by smaller ones (a target refused their size).
        var parts = Path.Combine(session.Directory, "parts");
        if (Directory.Exists(parts))
        {
            foreach (var leftover in Directory.EnumerateFiles(parts))
            {
                freed += new FileInfo(leftover).Length;
                File.Delete(leftover);
            }
            Directory.Delete(parts);
        }
        return freed;
    }

    private void AfterSession()
    {
        _delivering = null;
        _deliveryFailures = 0;
        if (_deliveryChanged)
        {
            ApplyDeliveryChange();
            return;
        }
        DeliverNextSession();
    }

    /// <summary>New delivery settings: fresh workers (with the new targets) once no session is being delivered, then failed sessions retry.</summary>
    private void OnDeliverySettingsChanged()
    {
        _deliveryChanged = true;
        if (_delivering is null)
        {
            ApplyDeliveryChange();
        }
    }

    private void ApplyDeliveryChange()
    {
        _deliveryChanged = false;
        StartDeliveryWorkers();
        RetryFailed();
    }

    private void RetryFailed()
    {
        var failed = _state.Processing.Where(s => s.FailureReason is not null).Select(s => s.Id).ToArray();
        foreach (var id in failed)
        {
            Record(new SessionRetried(id, Now));
        }
        if (failed.Length == 0)
        {
            DeliverNextSession();
        }
        else
        {
            DeferAsync(failed[^1], _ => DeliverNextSession());
        }
    }

    private sealed record RetryDelivery(string SessionId);
}
