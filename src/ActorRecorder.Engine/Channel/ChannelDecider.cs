using System.Collections.Immutable;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// The channel's rules, as pure functions: <see cref="Decide"/> turns (state, input, now) into events to
/// persist and effects to run; <see cref="Evolve"/> folds an event into the state. No I/O, no clock, no
/// actors: every rule is unit-tested and every invariant property-tested over random sequences.
/// </summary>
/// <remarks>
/// A broadcast is one session however often the stream drops: <c>Offline → Recording ⇄ Grace → Offline</c>.
/// An ffmpeg failure while the channel is live is retried with back-off inside the session; a drop opens the
/// grace period, and only its end closes the session. Ended sessions are cut and delivered one at a time,
/// oldest first, one request in flight; a reply that does not name that request is dropped.
/// </remarks>
public static partial class ChannelDecider
{
    /// <summary>How long an adoption may take before the channel goes on without it.</summary>
    public static readonly TimeSpan AdoptionTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a node shutdown waits for ffmpeg to finish its file before the channel stops anyway (its actor's stop then
    /// kills ffmpeg). Within the node's 10 s stop budget, after ffmpeg's own 3 s for 'q' and 2 s for SIGINT.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(7);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public static ChannelState Evolve(ChannelState state, IChannelEvent @event) =>
        state with { Persisted = state.Persisted.Apply(@event) };

    public static Decision Decide(ChannelState state, IChannelInput input, DateTimeOffset now)
    {
        var d = new DecisionBuilder(state, now);
        if (state.Runtime.Lifecycle == Lifecycle.Stopped)
        {
            return d.Build(); // it asked to be stopped: whatever still arrives changes nothing
        }
        switch (input)
        {
            case ConfigureChannel configure:
                Configure(d, configure.Settings);
                break;
            case ChannelNotConfigured:
            case RetireChannel:
                Retire(d);
                break;
            case ShutdownChannel:
                Shutdown(d);
                break;
            case ShutdownTimedOut when d.R.Lifecycle == Lifecycle.ShuttingDown:
                Stop(d, passivate: false);
                break;
            case AdoptionFinished finished:
                Adopted(d, finished.Token, finished, timedOut: false);
                break;
            case AdoptionTimedOut timedOut:
                Adopted(d, timedOut.Token, null, timedOut: true);
                break;
            case OrphansReaped reaped when reaped.Token == d.R.AdoptionToken && d.R.Lifecycle == Lifecycle.Adopting:
                d.Set(r => r with { OrphansReaped = true });
                break;
            case PauseChannel:
                Pause(d);
                break;
            case ResumeChannel when d.P.Paused:
                d.Emit(new ChannelResumed(d.Now));
                d.Do(new CheckLiveNow());
                break;
            case StartRecordingCommand:
                StartNow(d);
                break;
            case StopRecordingCommand:
                EndOpenSession(d, "stopped by a command", pause: true);
                break;
            case SplitSessionCommand:
                EndOpenSession(d, "split by a command", pause: false);
                break;
            case DiskMeasured disk:
                DiskMeasured(d, disk.FreeBytes);
                break;
            case WentLive live:
                MonitorReported(d);
                WentLive(d, new LiveInfo(live.StreamUrl, live.Headers, live.Title) { SourceUrl = live.SourceUrl, Quality = live.Quality });
                break;
            case WentOffline offline:
                MonitorReported(d);
                d.Set(r => r with { Announced = null });
                WentOffline(d, offline.Reason);
                break;
            case BroadcastScheduled scheduled:
                MonitorReported(d);
                BroadcastScheduled(d, scheduled);
                break;
            case MonitorStopped stopped:
                MonitorStopped(d, stopped.Reason);
                break;
            case MonitorRestartDue when d.Settings is { } settings && !d.R.Sleeping:
                d.Do(Monitor(settings));
                break;
            case WaitingPosted posted:
                DeliveryDecider.WaitingPosted(d, posted);
                break;
            case WaitingExpiryDue due:
                DeliveryDecider.WaitingExpired(d, due.MessageId);
                break;
            case TitleSeen title when d.P.Current is { } session && session.Title != title.Title:
                d.Emit(new TitleChanged(session.Id, title.Title, d.Now));
                break;
            case TitleSeen title when d.P.Current is null && d.R is { LiveNow: true, Live: { } live }:
                WentLive(d, live with { Title = title.Title }); // a new title may let a skipped broadcast in
                break;
            case HookExited exited:
                HookExited(d, exited);
                break;
            case PinSession pin:
                Pin(d, pin);
                break;
            case CleanupDone done when d.R.Purging?.SessionId == done.SessionId:
                Purged(d, done);
                break;
            case CleanupFailed failed when d.R.Purging?.SessionId == failed.SessionId:
                PurgeFailed(d, failed);
                break;
            case WindowEdge:
                WindowTurned(d);
                break;
            case RecordingStarted started when d.R.Recorder?.Attempt == started.Attempt:
                d.Set(r => r with { Recorder = r.Recorder! with { Pid = started.Pid } });
                break;
            case RecordingProgress progress when d.R.Recorder is { } recorder && recorder.Attempt == progress.Attempt:
                d.Set(r => r with
                {
                    Recorder = progress.OutTime > recorder.LastOutTime
                        ? recorder with { LastOutTime = progress.OutTime, LastMediaAt = d.Now, Bytes = progress.Bytes }
                        : recorder with { Bytes = progress.Bytes },
                });
                break;
            case SegmentFinished segment:
                SegmentFinished(d, segment);
                break;
            case SegmentSetAside aside when d.P.Current is { } session:
                d.Emit(new SegmentDiscarded(session.Id, aside.Path, aside.Reason, d.Now));
                break;
            case RecordingStopped stopped when d.R.Recorder?.Attempt == stopped.Attempt:
                if (stopped.ProbeTooNarrow && !d.R.WideProbe)
                {
                    d.Set(r => r with { WideProbe = true });
                    d.Do(new Log(LogLevel.Information, "ffmpeg's probe missed a stream of this input (late audio?): it is probed widely from now on"));
                }
                AttemptEnded(d, stopped.Outcome, stopped.Reason);
                break;
            case RecorderTerminated terminated when d.R.Recorder?.Attempt == terminated.Attempt:
                AttemptEnded(d, RecordingOutcome.Failed, "the ffmpeg process could not be started or its actor failed (see the log)");
                break;
            case RetryAttempt retry:
                RetryAttempt(d, retry.SessionId);
                break;
            case GraceExpired expired when d.R.Lifecycle == Lifecycle.Active && d.P.Mode == ChannelMode.Grace && d.P.Current?.Id == expired.SessionId:
                EndSession(d, $"no stream for the grace period ({(d.Settings?.Recording.GracePeriod ?? TimeSpan.Zero).TotalSeconds:0} s)");
                break;
            default:
                DeliveryDecider.Decide(d, input);
                break;
        }
        if (d.R.Lifecycle == Lifecycle.Adopting)
        {
            RecordDuringAdoption(d);
        }
        StopWhenRetired(d);
        StartHooks(d, 0);
        return d.Build();
    }

    private static StartMonitor Monitor(ChannelSettings settings) =>
        new(settings.Sources, settings.CookiesFile, settings.Recording.PollInterval) { Qualities = settings.Recording.Qualities, Proxy = settings.Proxy };

    /// <summary>The first wait before a failed monitor is started again; it doubles with every failure in a row.</summary>
    public static readonly TimeSpan MonitorRestartFirst = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait before a failed monitor is started again.</summary>
    public static readonly TimeSpan MonitorRestartMax = TimeSpan.FromMinutes(5);

    /// <summary>After this many failures in a row the channel journals that its monitor is failing (once per streak).</summary>
    public const int MonitorFailingAfter = 3;

    /// <summary>
    /// The monitor failed: it is started again after a back-off that doubles with each failure in a row (5 s up to 5 min),
    /// so a monitor that cannot work does not spin; the status says so, and a streak is journaled once.
    /// </summary>
    private static void MonitorStopped(DecisionBuilder d, string reason)
    {
        var failures = d.R.MonitorFailures + 1;
        var delay = TimeSpan.FromTicks(Math.Min(MonitorRestartMax.Ticks, MonitorRestartFirst.Ticks << Math.Min(failures - 1, 16)));
        d.Set(r => r with
        {
            MonitorFailures = failures,
            Problem = $"its monitor failed {failures} time{(failures == 1 ? "" : "s")} in a row ({reason}); the next one starts in {delay.TotalSeconds:0} s",
        });
        if (failures == MonitorFailingAfter)
        {
            d.Emit(new MonitorFailing(reason, failures, d.Now));
        }
        d.Do(new Log(LogLevel.Warning, $"its monitor failed ({reason}); a new one starts in {delay.TotalSeconds:0} s"));
        d.Do(new StartTimer("monitor-restart", new MonitorRestartDue(), delay));
    }

    /// <summary>The monitor answered: whatever it suffered is over.</summary>
    private static void MonitorReported(DecisionBuilder d)
    {
        if (d.R.MonitorFailures == 0)
        {
            return;
        }
        if (d.R.MonitorFailures >= MonitorFailingAfter)
        {
            d.Emit(new MonitorRecovered(d.Now));
        }
        d.Set(r => r with { MonitorFailures = 0, Problem = null });
    }

    private static void Configure(DecisionBuilder d, ChannelSettings settings)
    {
        var old = d.Settings;
        var wasRetiring = d.R.Retiring;
        d.Set(r => r with { Settings = settings, Retiring = false });
        if (d.R.Lifecycle == Lifecycle.AwaitingSettings)
        {
            Start(d);
            return;
        }
        if (old is null || !old.Sources.SequenceEqual(settings.Sources) || old.CookiesFile != settings.CookiesFile || !Equals(old.Proxy, settings.Proxy)
            || old.Recording.PollInterval != settings.Recording.PollInterval || old.Recording.Quality != settings.Recording.Quality
            || !SameFilters(old.Recording, settings.Recording))
        {
            d.Set(r => r with { Skipped = null }); // a new monitor reports at once: a skipped broadcast is judged again
            MonitorPerSchedule(d, settings);
        }
        if (old is null || old.Recording.DiskCheckInterval != settings.Recording.DiskCheckInterval
            || old.Recording.MinFreeDisk != settings.Recording.MinFreeDisk || old.Recording.OutputDir != settings.Recording.OutputDir)
        {
            d.Do(new WatchDisk(settings.Recording.DiskCheckInterval)); // and measure at once: the threshold or the disk may have changed
        }
        if (old is not null && !old.Delivery.Equals(settings.Delivery))
        {
            DeliveryDecider.SettingsChanged(d);
        }
        if (wasRetiring)
        {
            d.Do(new Log(LogLevel.Information, "the channel is back in the configuration: it goes on"));
            d.Do(new CheckLiveNow());
        }
        DeliveryDecider.DeliverNext(d);
    }

    /// <summary>
    /// The first settings (or the news that there are none) after the replay: finished sessions go back to
    /// delivery, unfinished clean-ups run again, and a session that was open when the last incarnation ended
    /// gets its unlisted segments adopted before anything else happens to it.
    /// </summary>
    private static void Start(DecisionBuilder d)
    {
        if (d.Settings is { } settings)
        {
            RerunHooks(d, settings);
            MonitorPerSchedule(d, settings);
            DeliveryDecider.ArmWaitingExpiry(d);
            d.Do(new WatchDisk(settings.Recording.DiskCheckInterval));
        }
        foreach (var session in d.P.Processing)
        {
            d.Do(new PublishHandedOver(session));
        }
        foreach (var cleanup in d.P.Cleanups)
        {
            DeliveryDecider.StartCleanup(d, cleanup);
        }
        if (d.P.Current is { } current)
        {
            var token = d.R.AdoptionToken + 1;
            d.Set(r => r with { Lifecycle = Lifecycle.Adopting, AdoptionToken = token, OrphansReaped = false });
            d.Do(new AdoptSegments(token, current.Directory, current.Segments.Select(s => s.Path).ToImmutableHashSet(StringComparer.Ordinal), current.LastAttempt + 1));
            d.Do(new StartTimer("adoption", new AdoptionTimedOut(token), AdoptionTimeout));
            return;
        }
        d.Set(r => r with { Lifecycle = Lifecycle.Active });
        DeliveryDecider.DeliverNext(d);
    }

    /// <summary>
    /// After adoption the session waits out a grace period like after any drop, while the monitor checks at
    /// once: a broadcast still live continues the same session (at once when the monitor's first answer, which may
    /// come while the segments are being adopted, was already "live").
    /// </summary>
    private static void Adopted(DecisionBuilder d, int token, AdoptionFinished? finished, bool timedOut)
    {
        if (d.R.PendingAdoption is { } pending && pending.Token == token)
        {
            AdoptedWhileRecording(d, pending, finished, timedOut);
            return;
        }
        if (d.R.Lifecycle != Lifecycle.Adopting || token != d.R.AdoptionToken || d.P.Current is not { } session)
        {
            return;
        }
        d.Do(new CancelTimer("adoption"));
        d.Set(r => r with { Lifecycle = Lifecycle.Active });
        if (session.AttemptOpen)
        {
            d.Emit(new RecordingAttemptEnded(session.Id, session.LastAttempt, "Interrupted", "the channel stopped while recording", d.Now));
        }
        foreach (var kept in finished?.Kept ?? [])
        {
            if (!d.P.Current!.HasSegment(kept.Path))
            {
                d.Emit(new SegmentRecorded(session.Id, kept.Attempt, kept.Path, kept.Duration, kept.Bytes, Adopted: true, d.Now));
            }
        }
        SetAsideAndReport(d, session, finished, timedOut);
        if (d.P.Mode == ChannelMode.Recording)
        {
            d.Emit(new StreamDropped(session.Id, "the channel restarted while recording", d.Now));
        }
        EnterGrace(d);
        if (d.R is { LiveNow: true, Live: { } live })
        {
            // The monitor (started with the adoption) already found the broadcast live: continue at once, without
            // waiting for the check that EnterGrace asks for. A channel that moved to this node records again sooner.
            WentLive(d, live);
        }
        DeliveryDecider.DeliverNext(d);
    }

    private static void SetAsideAndReport(DecisionBuilder d, Session session, AdoptionFinished? finished, bool timedOut)
    {
        foreach (var aside in finished?.SetAside ?? [])
        {
            d.Emit(new SegmentDiscarded(session.Id, aside.Path, aside.Reason, d.Now));
        }
        if (finished?.Failure is { } failure)
        {
            d.Do(new Log(LogLevel.Warning, $"adopting the segments of session {session.Id} failed ({failure}); going on without them (the files stay in {session.Directory})"));
        }
        if (timedOut)
        {
            d.Do(new Log(LogLevel.Warning, $"adopting the segments of session {session.Id} did not finish within {AdoptionTimeout.TotalMinutes:0} min; going on without them (the files stay in {session.Directory})"));
        }
    }

    /// <summary>
    /// A channel that starts again while it was recording (it moved to this node after a failover, or its node restarted)
    /// records again as soon as the monitor says the broadcast is live and no recorder of its last incarnation is left,
    /// without waiting for the probe of the segments that incarnation left: the probe goes on beside the new attempt (whose
    /// files it leaves alone), and the session is not delivered before its segments are listed. The stream did not drop:
    /// the interruption is a gap in the same session, as after a failed ffmpeg.
    /// </summary>
    private static void RecordDuringAdoption(DecisionBuilder d)
    {
        if (d.R is not { OrphansReaped: true, LiveNow: true, Live: not null, Retiring: false, Settings: { } settings } || d.P.Current is not { } session
            || d.P.Mode != ChannelMode.Recording || d.P.Paused || d.P.DiskLow || !(d.R.DiskKnown || settings.Recording.MinFreeDisk == 0))
        {
            return;
        }
        d.Set(r => r with { Lifecycle = Lifecycle.Active, PendingAdoption = new PendingAdoption(r.AdoptionToken, session.Id) });
        if (session.AttemptOpen)
        {
            d.Emit(new RecordingAttemptEnded(session.Id, session.LastAttempt, "Interrupted", "the channel stopped while recording", d.Now));
        }
        StartAttempt(d, d.P.Current!.LastAttemptEndedAt, "the channel stopped while recording");
    }

    /// <summary>The adoption of a channel that records again finished: its segments join their session, which may be delivered now.</summary>
    private static void AdoptedWhileRecording(DecisionBuilder d, PendingAdoption pending, AdoptionFinished? finished, bool timedOut)
    {
        d.Do(new CancelTimer("adoption"));
        d.Set(r => r with { PendingAdoption = null });
        Session? Adopting() => d.P.Current?.Id == pending.SessionId ? d.P.Current : d.P.Ended(pending.SessionId);
        foreach (var kept in finished?.Kept ?? [])
        {
            if (Adopting() is { } target && !target.HasSegment(kept.Path))
            {
                d.Emit(new SegmentRecorded(pending.SessionId, kept.Attempt, kept.Path, kept.Duration, kept.Bytes, Adopted: true, d.Now));
            }
        }
        if (Adopting() is { } session)
        {
            SetAsideAndReport(d, session, finished, timedOut);
        }
        DeliveryDecider.DeliverNext(d);
    }

    /// <summary>Node shutdown or hand-off: ffmpeg finishes its file and the attempt's end is persisted; the session stays open.</summary>
    private static void Shutdown(DecisionBuilder d)
    {
        if (d.R.Lifecycle == Lifecycle.ShuttingDown)
        {
            return;
        }
        if (d.R.Lifecycle == Lifecycle.Active && d.R.Recorder is { } recorder)
        {
            d.Set(r => r with { Lifecycle = Lifecycle.ShuttingDown });
            d.Do(new StopRecorder(recorder.Attempt, "the node is shutting down", Shutdown: true));
            d.Do(new StartTimer("shutdown", new ShutdownTimedOut(), ShutdownTimeout));
            return;
        }
        Stop(d, passivate: false);
    }

    /// <summary>Removed from the configuration (or not in it when the channel started): finish the session, then stop.</summary>
    private static void Retire(DecisionBuilder d)
    {
        d.Set(r => r with { Retiring = true });
        switch (d.R.Lifecycle)
        {
            case Lifecycle.AwaitingSettings:
                Start(d);
                break;
            case Lifecycle.Active when d.P.Current is not null && d.P.Mode == ChannelMode.Grace:
                EndSession(d, RemovedReason);
                break;
            case Lifecycle.Active when d.P.Current is not null:
                StopRecordingFor(d, RemovedReason);
                break;
        }
    }

    private const string RemovedReason = "the channel was removed from the configuration";

    private static void Stop(DecisionBuilder d, bool passivate)
    {
        d.Set(r => r with { Lifecycle = Lifecycle.Stopped });
        d.Do(new StopChannel(passivate));
    }

    /// <summary>A retired channel stops once its session has ended and nothing it can still deliver is left.</summary>
    private static void StopWhenRetired(DecisionBuilder d)
    {
        if (d.R is { Retiring: true, Lifecycle: Lifecycle.Active, PendingAdoption: null, Delivery: { Outstanding: null, RetryWaiting: false } } && d.P.Current is null
            && (d.Settings is null || !d.P.Processing.Exists(s => s.FailureReason is null)))
        {
            Stop(d, passivate: true);
        }
    }
}
