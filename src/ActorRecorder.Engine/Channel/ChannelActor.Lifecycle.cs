using System.Collections.Immutable;
using ActorRecorder.Actors;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>Recovery after a restart, the disk guard, pause/resume, node shutdown and retirement.</summary>
public sealed partial class ChannelActor
{
    /// <summary>
    /// After replay: sessions waiting for processing are handed over again; a session that was recording
    /// when the process died gets its unlisted segment files adopted, then waits out the grace period
    /// while the monitor checks at once — if the channel is still live, the same session continues.
    /// </summary>
    private void OnRecovered()
    {
        _monitor = StartMonitor();
        StartDeliveryWorkers();
        Timers.StartPeriodicTimer("disk", DiskTick.Instance, Recording.DiskCheckInterval);
        Self.Tell(DiskTick.Instance);
        foreach (var session in _state.Processing)
        {
            HandOver(session);
        }
        if (_state.Current is { } current && _state.Mode is ChannelMode.Recording or ChannelMode.Grace)
        {
            _adopting = true;
            var self = Self;
            var known = current.Segments.Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
            _ = AdoptAsync(current.Id, current.Directory, known, Recording.Container, _services.Adopter, self);
        }
    }

    private static async Task AdoptAsync(string sessionId, string directory, HashSet<string> known, Container container,
        SegmentAdopter adopter, IActorRef self)
    {
        var results = ImmutableArray.CreateBuilder<object>();
        // An ffmpeg that outlived a killed node would keep writing into the session: stop it before adopting.
        await Media.Processes.OrphanReaper.KillOrphansAsync(directory, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "a*-*." + container.Extension()).Order(SegmentFileName.Comparer))
            {
                if (known.Contains(path))
                {
                    continue;
                }
                var attempt = SegmentFileName.TryParse(path, out var parsed, out _) ? parsed : 0;
                results.Add(await adopter.AdoptAsync(path).ConfigureAwait(false) switch
                {
                    AdoptionResult.Kept kept => new SegmentFinished(attempt, path, kept.Duration, kept.Bytes, Adopted: true),
                    AdoptionResult.Dropped dropped => new SegmentSetAside(attempt, path, dropped.Reason),
                    _ => throw new InvalidOperationException("unknown adoption result"),
                });
            }
        }
        self.Tell(new AdoptionFinished(sessionId, results.ToImmutable()));
    }

    private void OnAdoptionFinished(AdoptionFinished finished)
    {
        _adopting = false;
        if (_state.Current is not { } session || session.Id != finished.SessionId)
        {
            return;
        }
        if (session.AttemptOpen)
        {
            Record(new RecordingAttemptEnded(session.Id, session.LastAttempt, "Interrupted", "the node stopped while recording", Now));
        }
        foreach (var result in finished.Results)
        {
            switch (result)
            {
                case SegmentFinished segment:
                    OnSegmentFinished(segment);
                    break;
                case SegmentSetAside aside:
                    OnSegmentSetAside(aside);
                    break;
            }
        }
        if (_state.Mode == ChannelMode.Recording)
        {
            Record(new StreamDropped(session.Id, "the node restarted while recording", Now), EnterGrace);
        }
        else
        {
            EnterGrace();
        }
    }

    /// <summary>Below min-free-disk no recording starts and a running one stops cleanly; it resumes when space is back.</summary>
    private void CheckDisk()
    {
        var threshold = Recording.MinFreeDisk;
        long free;
        try
        {
            free = _services.FreeBytes(Recording.OutputDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Log.LogWarning(ex, "cannot measure free space under {OutputDir}", Recording.OutputDir);
            return;
        }
        if (threshold > 0 && free < threshold && !_state.DiskLow)
        {
            Log.LogWarning("disk space low under {OutputDir}: {Free} bytes free, {Threshold} required; recording is held",
                Recording.OutputDir, free, threshold);
            Record(new DiskSpaceLow(free, threshold, Now), () =>
            {
                if (_ffmpeg is not null)
                {
                    _stopReason = "disk space low";
                    _ffmpeg.Tell(new StopRecording(_stopReason));
                }
            });
        }
        else if (_state.DiskLow && (threshold == 0 || free >= threshold))
        {
            Log.LogInformation("disk space is back under {OutputDir}: {Free} bytes free", Recording.OutputDir, free);
            Record(new DiskSpaceRecovered(free, Now), () => _monitor?.Tell(CheckNow.Instance));
        }
    }

    private void Pause()
    {
        if (_state.Paused)
        {
            return;
        }
        Record(new ChannelPaused(Now), () =>
        {
            if (_ffmpeg is not null)
            {
                _stopReason = "the channel was paused";
                _ffmpeg.Tell(new StopRecording(_stopReason));
            }
        });
    }

    private void Resume()
    {
        if (_state.Paused)
        {
            Record(new ChannelResumed(Now), () => _monitor?.Tell(CheckNow.Instance));
        }
    }

    /// <summary>Node shutdown: ffmpeg finishes its file and the attempt's end is persisted; the session stays open.</summary>
    private void Shutdown()
    {
        _shuttingDown = true;
        if (_ffmpeg is null)
        {
            Context.Stop(Self);
            return;
        }
        _ffmpeg.Tell(new StopRecording("the node is shutting down"));
    }

    /// <summary>Removed from the configuration: finish the current session (if any), then stop.</summary>
    private void Retire()
    {
        _retiring = true;
        if (_state.Current is null)
        {
            Context.Stop(Self);
        }
        else if (_state.Mode == ChannelMode.Grace)
        {
            Timers.Cancel("grace");
            EndSession("the channel was removed from the configuration");
        }
        else if (_ffmpeg is not null)
        {
            _stopReason = "the channel was removed from the configuration";
            _ffmpeg.Tell(new StopRecording(_stopReason));
        }
    }
}
