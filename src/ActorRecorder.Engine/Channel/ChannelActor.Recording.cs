using System.Globalization;
using ActorRecorder.Actors;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Engine.Channel;

/// <summary>Sessions and attempts: live → recording → (drop → grace → resumed | ended).</summary>
public sealed partial class ChannelActor
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private void OnWentLive(WentLive live)
    {
        _live = live;
        _liveNow = true;
        if (_adopting || _shuttingDown || _state.Paused || _state.DiskLow)
        {
            return; // remembered: the monitor is asked again when the obstacle goes away
        }
        switch (_state.Mode)
        {
            case ChannelMode.Offline when !_retiring:
                StartSession(live);
                break;
            case ChannelMode.Grace when !_retiring:
                Timers.Cancel("grace");
                var session = _state.Current!;
                Record(new StreamResumed(session.Id, Now), () => StartAttempt(session.LastAttemptEndedAt, "the stream dropped and came back"));
                break;
            case ChannelMode.Recording when _ffmpeg is null && !Timers.IsTimerActive("retry"):
                StartAttempt(_state.Current!.LastAttemptEndedAt, "recording was interrupted");
                break;
        }
    }

    private void OnWentOffline(WentOffline offline)
    {
        _liveNow = false;
        if (_state.Mode != ChannelMode.Recording || _state.Current is not { } session)
        {
            return;
        }
        if (_ffmpeg is not null)
        {
            _stopReason = $"the channel went offline: {offline.Reason}";
            _ffmpeg.Tell(new StopRecording(_stopReason));
        }
        else if (!_adopting)
        {
            Timers.Cancel("retry");
            Record(new StreamDropped(session.Id, $"the channel went offline: {offline.Reason}", Now), EnterGrace);
        }
    }

    private void OnTitleChanged(Monitor.TitleChanged changed)
    {
        if (_state.Current is { } session && session.Title != changed.Title)
        {
            Record(new TitleChanged(session.Id, changed.Title, Now));
        }
    }

    private void StartSession(WentLive live)
    {
        var now = Now;
        var sessionId = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4];
        var directory = Path.Combine(Recording.OutputDir, Id, sessionId);
        _failuresInRow = 0;
        Record(new SessionStarted(sessionId, live.Title, live.StreamUrl, directory, now), () =>
        {
            StartAttempt(null, "");
            if (Delivery.Telegram is not null && Delivery.Targets.Contains("telegram"))
            {
                _uploader?.Tell(new Delivery.PostStatus(sessionId, $"🔴 LIVE: {live.Title ?? Id}"));
            }
        });
    }

    /// <summary>Persists the attempt (and the gap since the last one), then starts its ffmpeg.</summary>
    private void StartAttempt(DateTimeOffset? gapFrom, string gapReason)
    {
        var session = _state.Current!;
        var now = Now;
        if (gapFrom is { } from && from < now)
        {
            Record(new RecordingGap(session.Id, from, now, gapReason));
        }
        Record(new RecordingAttemptStarted(session.Id, session.LastAttempt + 1, now), () => SpawnFfmpeg(session));
    }

    private void SpawnFfmpeg(SessionState session)
    {
        var live = _live!;
        var attempt = session.LastAttempt;
        var request = new RecordingRequest
        {
            InputUrl = live.StreamUrl,
            Headers = live.Headers,
            OutputDirectory = session.Directory,
            FilePrefix = SegmentFileName.Prefix(attempt),
            Container = Recording.Container,
            SegmentDuration = Recording.SegmentDuration,
        };
        _ffmpegAttempt = attempt;
        _ffmpegPid = null;
        _progress = null;
        _stopReason = null;
        _ffmpeg = Context.Watch(Context.ActorOf(
            FfmpegProcessActor.Props(request, attempt, Recording.FfmpegPath, Recording.StallTimeout, _services.Adopter),
            "ffmpeg-" + attempt.ToString(CultureInfo.InvariantCulture)));
        _monitor?.Tell(new RecordingActive(true));
    }

    private void OnSegmentFinished(SegmentFinished segment)
    {
        if (_state.Current is { } session && !session.HasSegment(segment.Path))
        {
            _failuresInRow = 0;
            Record(new SegmentRecorded(session.Id, segment.Attempt, segment.Path, segment.Duration, segment.Bytes, segment.Adopted, Now));
        }
    }

    private void OnSegmentSetAside(SegmentSetAside aside)
    {
        if (_state.Current is { } session)
        {
            Record(new SegmentDiscarded(session.Id, aside.Path, aside.Reason, Now));
        }
    }

    private void OnRecordingStopped(RecordingStopped stopped)
    {
        if (stopped.Attempt != _ffmpegAttempt || _ffmpeg is null || _state.Current is not { } session)
        {
            return;
        }
        Context.Unwatch(_ffmpeg);
        _ffmpeg = null;
        _ffmpegPid = null;
        _monitor?.Tell(new RecordingActive(false));
        Record(new RecordingAttemptEnded(session.Id, stopped.Attempt, stopped.Outcome.ToString(), stopped.Reason, Now),
            () => AfterAttempt(session, stopped.Outcome, stopped.Reason));
    }

    /// <summary>An ffmpeg actor that stopped without reporting (it could not start, or failed) counts as a failed attempt.</summary>
    private void OnChildTerminated(Terminated terminated)
    {
        if (_ffmpeg is null || !terminated.ActorRef.Equals(_ffmpeg) || _state.Current is not { } session)
        {
            return;
        }
        _ffmpeg = null;
        _ffmpegPid = null;
        _monitor?.Tell(new RecordingActive(false));
        var reason = "the ffmpeg process could not be started or its actor failed (see the log)";
        Record(new RecordingAttemptEnded(session.Id, _ffmpegAttempt, nameof(RecordingOutcome.Failed), reason, Now),
            () => AfterAttempt(session, RecordingOutcome.Failed, reason));
    }

    private void AfterAttempt(SessionState session, RecordingOutcome outcome, string reason)
    {
        if (_shuttingDown)
        {
            Context.Stop(Self); // the session stays open: a restart resumes it
            return;
        }
        if (outcome is RecordingOutcome.Failed or RecordingOutcome.Stalled && _liveNow && _stopReason is null && !_state.Paused && !_state.DiskLow)
        {
            _failuresInRow++;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, _failuresInRow - 1)));
            Timers.StartSingleTimer("retry", new RetryAttempt(session.Id), delay);
            _monitor?.Tell(CheckNow.Instance);
            return;
        }
        var why = _stopReason ?? (outcome == RecordingOutcome.Ended ? "the stream ended" : reason);
        Record(new StreamDropped(session.Id, why, Now), EnterGrace);
    }

    private void OnRetryAttempt(RetryAttempt retry)
    {
        if (_state.Mode != ChannelMode.Recording || _state.Current is not { } session || session.Id != retry.SessionId || _ffmpeg is not null)
        {
            return;
        }
        if (_liveNow && !_state.DiskLow && !_state.Paused)
        {
            StartAttempt(session.LastAttemptEndedAt, "ffmpeg failed and was restarted");
        }
        else
        {
            Record(new StreamDropped(session.Id, "the stream is gone after ffmpeg failed", Now), EnterGrace);
        }
    }

    private void EnterGrace()
    {
        var session = _state.Current!;
        if (_retiring)
        {
            EndSession("the channel was removed from the configuration");
            return;
        }
        Timers.StartSingleTimer("grace", new GraceExpired(session.Id), Recording.GracePeriod);
        _monitor?.Tell(CheckNow.Instance);
    }

    private void OnGraceExpired(GraceExpired expired)
    {
        if (_state.Mode == ChannelMode.Grace && _state.Current?.Id == expired.SessionId)
        {
            EndSession($"no stream for the grace period ({Recording.GracePeriod.TotalSeconds:0} s)");
        }
    }

    private void EndSession(string reason)
    {
        var session = _state.Current!;
        Record(new SessionEnded(session.Id, reason, Now), () =>
        {
            HandOver(session);
            if (_retiring)
            {
                Context.Stop(Self);
            }
        });
    }
}
