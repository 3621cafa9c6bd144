using System.Globalization;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Media.Ffmpeg;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>Sessions and attempts: live → recording → (drop → grace → resumed | ended); pause and the disk guard.</summary>
public static partial class ChannelDecider
{
    private static bool MayRecord(DecisionBuilder d) =>
        d.R is { Lifecycle: Lifecycle.Active, Retiring: false, Settings: { } settings } && !d.P.Paused && !d.P.DiskLow
        && (d.R.DiskKnown || settings.Recording.MinFreeDisk == 0);

    private static void WentLive(DecisionBuilder d, LiveInfo live)
    {
        d.Set(r => r with { Live = live, LiveNow = true, Announced = null });
        if (!MayRecord(d))
        {
            return; // remembered: the monitor is asked again when the obstacle goes away
        }
        switch (d.P.Mode)
        {
            case ChannelMode.Offline when SkipReason(d, live) is { } reason:
                Skip(d, live, reason);
                break;
            case ChannelMode.Offline:
                StartSession(d, live);
                break;
            case ChannelMode.Grace:
                d.Do(new CancelTimer("grace"));
                d.Emit(new StreamResumed(d.P.Current!.Id, d.Now));
                StartAttempt(d, d.P.Current.LastAttemptEndedAt, "the stream dropped and came back");
                break;
            case ChannelMode.Recording when d.R is { Recorder: null, RetryPending: false }:
                StartAttempt(d, d.P.Current!.LastAttemptEndedAt, "recording was interrupted");
                break;
            case ChannelMode.Recording when live.Title is { } title && d.P.Current!.Title != title:
                d.Emit(new TitleChanged(d.P.Current.Id, title, d.Now));
                break;
        }
    }

    /// <summary>
    /// One offline answer does not stop a healthy recording: while ffmpeg's media time moved within the stall
    /// timeout, media is arriving, whatever the platform says; ffmpeg ends by itself (or the stall watchdog
    /// stops it) when the stream really ends.
    /// </summary>
    private static void WentOffline(DecisionBuilder d, string reason)
    {
        d.Set(r => r with { LiveNow = false, Skipped = null, StartRequested = false });
        SleepOutsideWindows(d);
        if (d.R.Lifecycle != Lifecycle.Active || d.P.Mode != ChannelMode.Recording || d.P.Current is null)
        {
            return;
        }
        if (d.R.Recorder is { StopReason: null, LastMediaAt: { } mediaAt } && d.Now - mediaAt < d.Settings!.Recording.StallTimeout)
        {
            d.Do(new Log(LogLevel.Information,
                $"the platform says offline ({reason}) but media arrived {(d.Now - mediaAt).TotalSeconds:0.#} s ago: recording goes on"));
            return;
        }
        StopRecordingFor(d, $"the channel went offline: {reason}");
    }

    private static void StartSession(DecisionBuilder d, LiveInfo live)
    {
        var settings = d.Settings!;
        var number = d.P.SessionsStarted + 1;
        var sessionId = d.Now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + number.ToString(CultureInfo.InvariantCulture);
        var directory = Path.Combine(settings.Recording.OutputDir, d.ChannelId, sessionId);
        d.Set(r => r with { FailuresInRow = 0, Skipped = null, StartRequested = false });
        var waiting = d.P.Waiting;
        d.Emit(new SessionStarted(sessionId, live.Title, live.StreamUrl, directory, d.Now));
        StartAttempt(d, null, "");
        DeliveryDecider.PostSessionStatus(d, sessionId, live.Title, waiting);
    }

    /// <summary>Persists the attempt (and the gap since the last one), then starts its ffmpeg.</summary>
    private static void StartAttempt(DecisionBuilder d, DateTimeOffset? gapFrom, string gapReason)
    {
        var session = d.P.Current!;
        var live = d.R.Live!;
        var recording = d.Settings!.Recording;
        if (gapFrom is { } from && from < d.Now)
        {
            d.Emit(new RecordingGap(session.Id, from, d.Now, gapReason));
        }
        var attempt = session.LastAttempt + 1;
        d.Emit(new RecordingAttemptStarted(session.Id, attempt, d.Now) { SourceUrl = live.SourceUrl, Quality = live.Quality });
        var request = new RecordingRequest
        {
            InputUrl = live.StreamUrl,
            Headers = live.Headers,
            Proxy = d.Settings.Proxy, // a changed proxy applies from the next attempt: a running recording is not stopped for it
            OutputDirectory = session.Directory,
            FilePrefix = SegmentFileName.Prefix(attempt),
            Container = recording.Container,
            SegmentDuration = recording.SegmentDuration,
            SegmentSize = recording.SegmentSize,
            WideProbe = d.R.WideProbe,
            FromWindowStart = session.Segments.IsEmpty, // nothing recorded yet: the broadcast's beginning may still be in the window
        };
        d.Set(r => r with { Recorder = new Recorder(attempt, d.Now), RetryPending = false });
        d.Do(new StartRecorder(attempt, request));
        d.Do(new MonitorRecording(true));
    }

    private static void SegmentFinished(DecisionBuilder d, SegmentFinished segment)
    {
        if (d.P.Current is not { } session || session.HasSegment(segment.Path))
        {
            return;
        }
        d.Emit(new SegmentRecorded(session.Id, segment.Attempt, segment.Path, segment.Duration, segment.Bytes, segment.Adopted, d.Now));
        if (segment.Attempt == d.R.Recorder?.Attempt)
        {
            d.Set(r => r with { FailuresInRow = 0 });
        }
    }

    private static void AttemptEnded(DecisionBuilder d, RecordingOutcome outcome, string reason)
    {
        var recorder = d.R.Recorder!;
        var session = d.P.Current!;
        d.Set(r => r with { Recorder = null });
        d.Emit(new RecordingAttemptEnded(session.Id, recorder.Attempt, outcome.ToString(), reason, d.Now));
        d.Do(new MonitorRecording(false));
        if (d.R.Lifecycle == Lifecycle.ShuttingDown)
        {
            d.Do(new CancelTimer("shutdown"));
            Stop(d, passivate: false); // the session stays open: the next start resumes it
            return;
        }
        if (outcome is RecordingOutcome.Failed or RecordingOutcome.Stalled && d.R.LiveNow && recorder.StopReason is null && MayRecord(d))
        {
            var failures = d.R.FailuresInRow + 1;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, failures - 1)));
            d.Set(r => r with { FailuresInRow = failures, RetryPending = true });
            d.Do(new StartTimer("retry", new RetryAttempt(session.Id), delay));
            d.Do(new CheckLiveNow());
            return;
        }
        var why = recorder.StopReason ?? (outcome == RecordingOutcome.Ended ? "the stream ended" : reason);
        d.Emit(new StreamDropped(session.Id, why, d.Now));
        EnterGrace(d);
    }

    private static void RetryAttempt(DecisionBuilder d, string sessionId)
    {
        if (!d.R.RetryPending || d.R.Lifecycle != Lifecycle.Active || d.P.Mode != ChannelMode.Recording || d.P.Current?.Id != sessionId)
        {
            return;
        }
        d.Set(r => r with { RetryPending = false });
        if (d.R.LiveNow && MayRecord(d))
        {
            StartAttempt(d, d.P.Current.LastAttemptEndedAt, "ffmpeg failed and was restarted");
            return;
        }
        d.Emit(new StreamDropped(sessionId, "the stream is gone after ffmpeg failed", d.Now));
        EnterGrace(d);
    }

    /// <summary>Stops the recording of the open session for <paramref name="reason"/>: ffmpeg is asked to finish, or, between attempts, the session drops at once.</summary>
    private static void StopRecordingFor(DecisionBuilder d, string reason)
    {
        if (d.R.Lifecycle != Lifecycle.Active || d.P.Mode != ChannelMode.Recording || d.P.Current is not { } session)
        {
            return;
        }
        if (d.R.Recorder is { } recorder)
        {
            if (recorder.StopReason is null)
            {
                d.Set(r => r with { Recorder = recorder with { StopReason = reason } });
                d.Do(new StopRecorder(recorder.Attempt, reason));
            }
            return;
        }
        d.Do(new CancelTimer("retry"));
        d.Set(r => r with { RetryPending = false });
        d.Emit(new StreamDropped(session.Id, reason, d.Now));
        EnterGrace(d);
    }

    private static void EnterGrace(DecisionBuilder d)
    {
        if (d.R.Retiring)
        {
            EndSession(d, RemovedReason);
            return;
        }
        if (d.R.EndOnDrop is { } why)
        {
            d.Set(r => r with { EndOnDrop = null });
            EndSession(d, why);
            CheckAgainAfterSplit(d);
            return;
        }
        d.Do(new StartTimer("grace", new GraceExpired(d.P.Current!.Id), d.Settings?.Recording.GracePeriod ?? TimeSpan.Zero));
        d.Do(new CheckLiveNow());
    }

    private static void EndSession(DecisionBuilder d, string reason)
    {
        var session = d.P.Current!;
        d.Do(new CancelTimer("grace"));
        d.Emit(new SessionEnded(session.Id, reason, d.Now));
        d.Do(new PublishHandedOver(d.P.Ended(session.Id)!));
        PostRememberedAnnouncement(d);
        DeliveryDecider.DeliverNext(d);
    }

    private static void Pause(DecisionBuilder d)
    {
        if (d.P.Paused)
        {
            return;
        }
        d.Emit(new ChannelPaused(d.Now));
        StopRecordingFor(d, "the channel was paused");
    }

    /// <summary>Start: a paused channel resumes, and the platform is asked at once (a live channel records).</summary>
    private static void StartNow(DecisionBuilder d)
    {
        if (d.P.Paused)
        {
            d.Emit(new ChannelResumed(d.Now));
        }
        d.Set(r => r with { StartRequested = d.P.Current is null });
        if (d.R.Sleeping && d.Settings is { } settings)
        {
            d.Set(r => r with { Sleeping = false });
            d.Do(Monitor(settings)); // it checks at once
            return;
        }
        d.Do(new CheckLiveNow());
    }

    /// <summary>
    /// Stop and split: the open session ends now rather than after the grace period (ffmpeg finishes its file first) and
    /// goes to delivery. A stop also pauses the channel; after a split the broadcast, if it goes on, is a new session.
    /// </summary>
    private static void EndOpenSession(DecisionBuilder d, string reason, bool pause)
    {
        if (pause && !d.P.Paused)
        {
            d.Emit(new ChannelPaused(d.Now));
        }
        if (d.R.Lifecycle != Lifecycle.Active || d.P.Current is null)
        {
            return;
        }
        if (d.P.Mode == ChannelMode.Grace)
        {
            EndSession(d, reason);
            CheckAgainAfterSplit(d);
            return;
        }
        d.Set(r => r with { EndOnDrop = reason });
        StopRecordingFor(d, reason);
    }

    private static void CheckAgainAfterSplit(DecisionBuilder d)
    {
        if (MayRecord(d))
        {
            d.Do(new CheckLiveNow());
        }
    }

    /// <summary>Below min-free-disk no recording starts and a running one stops cleanly; it resumes when space is back.</summary>
    private static void DiskMeasured(DecisionBuilder d, long free)
    {
        if (d.Settings is not { } settings)
        {
            return;
        }
        var threshold = settings.Recording.MinFreeDisk;
        var first = !d.R.DiskKnown;
        d.Set(r => r with { DiskKnown = true });
        var purgingForRoom = Retain(d, free);
        if (threshold > 0 && free < threshold && !d.P.DiskLow && purgingForRoom)
        {
            return; // delivered sessions make room first: recording is held only when none is left
        }
        if (threshold > 0 && free < threshold && !d.P.DiskLow)
        {
            d.Emit(new DiskSpaceLow(free, threshold, d.Now));
            d.Do(new Log(LogLevel.Warning,
                $"disk space low under {settings.Recording.OutputDir}: {free} bytes free, {threshold} required; recording is held"));
            StopRecordingFor(d, "disk space low");
        }
        else if (d.P.DiskLow && (threshold == 0 || free >= threshold))
        {
            d.Emit(new DiskSpaceRecovered(free, d.Now));
            d.Do(new Log(LogLevel.Information, $"disk space is back under {settings.Recording.OutputDir}: {free} bytes free"));
            d.Do(new CheckLiveNow());
        }
        else if (first && threshold > 0 && !d.P.DiskLow && d.R.LiveNow && MayRecord(d))
        {
            d.Do(new CheckLiveNow()); // the stream answered first: now that there is room, it may be recorded
        }
    }
}
