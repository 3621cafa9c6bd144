using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using ActorRecorder.Engine.Serialization;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// One streamer: an entity of the "channel" shard region, persistent as <c>channel-&lt;id&gt;</c>. It rebuilds
/// its state by replaying its events, asks the channel directory for its settings, and from then on feeds
/// every input to the <see cref="ChannelDecider"/>: it persists the decision's events, takes its state, and
/// only then runs its effects (start ffmpeg, hand a part to a target). It supervises the monitor, one ffmpeg
/// actor per attempt and the delivery workers; a child that fails is stopped and the decider hears of it.
/// </summary>
/// <remarks>
/// Behaviours follow the incarnation's lifecycle: <see cref="Starting"/> (replayed, no settings yet: other
/// inputs wait in the stash), <see cref="Running"/> (adopting, active or shutting down: the decider's state
/// holds the broadcast's mode) and <see cref="Stopped"/> (it asked to stop: inputs are ignored).
/// </remarks>
public sealed partial class ChannelActor : ReceivePersistentActor, IWithTimers
{
    private static readonly TimeSpan SettingsRetry = TimeSpan.FromSeconds(5);

    private readonly EngineServices _services;
    private readonly ICanTell _directory;
    private readonly ILogger _log;
    private ChannelState _state;
    private long _snapshotAt;
    private (string What, UnreadablePayload Payload)? _unreadable;
    private PersistedState _snapshotState = new();
    private long _eventsDeletedTo;
    private string? _lastChildFailure;

    public ChannelActor(string channelId, EngineServices services, ICanTell directory)
    {
        _services = services;
        _directory = directory;
        _log = services.LoggerFactory.CreateLogger<ChannelActor>();
        _state = ChannelState.Initial(channelId);
        PersistenceId = "channel-" + channelId;
        Recover<SnapshotOffer>(offer =>
        {
            _snapshotAt = offer.Metadata.SequenceNr;
            if (offer.Snapshot is UnreadablePayload unreadable)
            {
                _unreadable = ("its snapshot", unreadable);
                return;
            }
            _state = _state with { Persisted = (PersistedState)offer.Snapshot };
        });
        // Past an event it cannot read, the channel folds nothing more: a state missing an event is not one to act on.
        Recover<UnreadablePayload>(unreadable => _unreadable ??= ($"event #{LastSequenceNr}", unreadable));
        Recover<IChannelEvent>(e =>
        {
            if (_unreadable is null)
            {
                _state = ChannelDecider.Evolve(_state, e);
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            if (_unreadable is { } unreadable)
            {
                CannotReadJournal(unreadable.What, unreadable.Payload);
                return;
            }
            LogRunning(_log, Id, LastSequenceNr);
            AskForSettings();
        });
        Starting();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string channelId, EngineServices services, ICanTell directory) =>
        Akka.Actor.Props.Create(() => new ChannelActor(channelId, services, directory));

    private string Id => _state.ChannelId;

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    /// <summary>
    /// Every child that fails is stopped; the channel replaces it (the monitor after a back-off, ffmpeg as a failed attempt,
    /// workers as a new incarnation). The failure's message is kept for the decider, which hears of the stop next.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(failure =>
    {
        _lastChildFailure = failure.Message;
        return Directive.Stop;
    });

    private void Starting()
    {
        Command<ConfigureChannel>(Handle);
        Command<ChannelNotConfigured>(Handle);
        Command<RetireChannel>(Handle);
        Command<ShutdownChannel>(Handle);
        Command<AskSettingsAgain>(_ => AskForSettings());
        Command<GetChannelStatus>(_ => Sender.Tell(Status()));
        Command<GetChannelRecordings>(_ => Sender.Tell(Recordings()));
        CommandAny(_ => Stash.Stash());
    }

    private void Running()
    {
        Command<IChannelInput>(Handle);
        Command<GetChannelStatus>(_ => Sender.Tell(Status()));
        Command<GetChannelRecordings>(_ => Sender.Tell(Recordings()));
        Command<DiskTick>(_ => MeasureDisk());
        Command<DiskMeasurement>(OnDiskMeasured);
        Command<Terminated>(OnChildTerminated);
        Command<PassivateNow>(_ => Context.Stop(Self));
        Command<UnreadablePayload>(unreadable => LogUnreadableMessage(_log, Id, unreadable.Manifest, unreadable.Reason));
        Command<SaveSnapshotSuccess>(success => Snapshotted(success.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(failure => LogSnapshotFailed(_log, Id, failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure => LogSnapshotFailed(_log, Id, failure.Cause.Message));
        Command<DeleteMessagesSuccess>(deleted => _eventsDeletedTo = Math.Max(_eventsDeletedTo, deleted.ToSequenceNr));
        Command<DeleteMessagesFailure>(failure => LogSnapshotFailed(_log, Id, "deleting old events: " + failure.Cause.Message));
    }

    private void Stopped()
    {
        Command<GetChannelStatus>(_ => Sender.Tell(Status()));
        Command<GetChannelRecordings>(_ => Sender.Tell(Recordings()));
        Command<PassivateNow>(_ => Context.Stop(Self));
        Command<ShutdownChannel>(_ => Context.Stop(Self)); // a hand-off while it waits to be passivated must not wait for it
        // Added back while it waits to be passivated: the shard keeps what comes for a passivating entity and hands it to
        // the next incarnation, which starts at once (not at the directory's next resync).
        Command<ConfigureChannel>(configure => Context.Parent.Forward(new ShardingEnvelope(Id, configure)));
        CommandAny(_ => { });
    }

    /// <summary>
    /// Its journal holds something this version cannot read: the channel does nothing (no ffmpeg, no delivery, no write)
    /// and says why in its status, instead of failing its recovery and being started again by its shard forever. A start
    /// command tries the replay again (after the journal was repaired or the node upgraded); a removal stops it for good.
    /// </summary>
    private void Unreadable()
    {
        Command<GetChannelStatus>(_ => Sender.Tell(Status()));
        Command<GetChannelRecordings>(_ => Sender.Tell(Recordings()));
        Command<StartRecordingCommand>(_ => Context.Stop(Self)); // the shard starts it again after its back-off: it replays anew
        Command<RetireChannel>(_ => Context.Parent.Tell(new Passivate(PassivateNow.Instance)));
        Command<ChannelNotConfigured>(_ => Context.Parent.Tell(new Passivate(PassivateNow.Instance)));
        Command<PassivateNow>(_ => Context.Stop(Self));
        Command<ShutdownChannel>(_ => Context.Stop(Self));
        CommandAny(_ => { });
    }

    private void CannotReadJournal(string what, UnreadablePayload payload)
    {
        var problem = $"its journal cannot be read: {what} (manifest {payload.Manifest}): {payload.Reason}. It records and delivers nothing "
            + "until a version that reads it runs, or the row is repaired; then 'channel start' replays it again";
        _state = _state with { Runtime = _state.Runtime with { Lifecycle = Lifecycle.Unreadable, Problem = problem } };
        LogJournalUnreadable(_log, Id, problem);
        _services.Metrics.ChannelUnreadable(Id);
        Become(Unreadable);
    }

    private void AskForSettings()
    {
        _directory.Tell(new GetChannelSettings(Id), Self);
        Timers.StartSingleTimer("settings", AskSettingsAgain.Instance, SettingsRetry);
    }

    /// <summary>Decides on <paramref name="input"/>, persists the decision's events, then takes its state and runs its effects.</summary>
    private void Handle(IChannelInput input)
    {
        var decision = ChannelDecider.Decide(_state, input, Now);
        if ((!decision.Events.IsEmpty || !decision.Effects.IsEmpty) && !_services.HoldsChannel(Id))
        {
            // The channel moved to another node while this one was frozen or cut off: no write, no ffmpeg, no upload.
            LogFenced(_log, Id, input.GetType().Name);
            Context.Stop(Self);
            return;
        }
        if (decision.Events.IsEmpty)
        {
            Commit(decision);
            return;
        }
        var remaining = decision.Events.Count;
        var writing = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAll(decision.Events, persisted =>
        {
            _services.Metrics.Persisted(persisted, decision.State.Persisted);
            if (--remaining > 0)
            {
                return;
            }
            _services.Metrics.JournalWritten(System.Diagnostics.Stopwatch.GetElapsedTime(writing));
            if (!_services.HoldsChannel(Id))
            {
                // Written before the node froze, acknowledged after it thawed: the effects are the new holder's to run.
                Publish(decision.Events);
                LogFenced(_log, Id, input.GetType().Name);
                Context.Stop(Self);
                return;
            }
            Commit(decision);
            SnapshotIfDue();
        });
    }

    private void Publish(IEnumerable<IChannelEvent> events)
    {
        foreach (var persisted in events)
        {
            Context.System.EventStream.Publish(new ChannelEventPersisted(Id, persisted));
        }
    }

    /// <summary>
    /// Takes the decision's state and runs its effects; its events are published once the effects have started (its timers
    /// run, its children exist), so whoever hears of an event sees the channel in the state the event leads to, and the
    /// sessions it hands over to delivery are announced after the events that ended them.
    /// </summary>
    private void Commit(Decision decision)
    {
        var before = _state.Runtime.Lifecycle;
        _state = decision.State;
        foreach (var effect in decision.Effects.Where(e => e is not PublishHandedOver))
        {
            Run(effect);
        }
        Publish(decision.Events);
        foreach (var handedOver in decision.Effects.OfType<PublishHandedOver>())
        {
            Run(handedOver);
        }
        var after = _state.Runtime.Lifecycle;
        _services.Metrics.ChannelState(Id, _state.Mode, _state.Runtime.Recorder is not null);
        if (before == after)
        {
            return;
        }
        if (after == Lifecycle.Adopting)
        {
            _services.Metrics.Failover(); // a recording was running when this channel last stopped: it is taken up here
        }
        if (before == Lifecycle.AwaitingSettings)
        {
            Timers.Cancel("settings");
            Become(after == Lifecycle.Stopped ? Stopped : Running);
            Stash.UnstashAll();
        }
        else if (after == Lifecycle.Stopped)
        {
            Become(Stopped);
        }
    }

    /// <summary>
    /// A snapshot is saved: older snapshots go, and so do the events before it that no open or undelivered session needs
    /// (everything they said is in the snapshot), unless the node keeps every event.
    /// </summary>
    private void Snapshotted(long sequenceNr)
    {
        DeleteSnapshots(new SnapshotSelectionCriteria(sequenceNr - 1));
        var upTo = Math.Min(sequenceNr, _snapshotState.FirstEventNeeded - 1);
        if (_services.DeleteOldEvents && upTo > _eventsDeletedTo)
        {
            DeleteMessages(upTo);
        }
    }

    private ChannelRecordings Recordings() =>
        new(Id, _state.Persisted.Current, _state.Persisted.Processing, _state.Persisted.History) { Pinned = _state.Persisted.Pinned };

    private void SnapshotIfDue()
    {
        if (LastSequenceNr - _snapshotAt >= _services.SnapshotEvery)
        {
            _snapshotAt = LastSequenceNr;
            _snapshotState = _state.Persisted;
            SaveSnapshot(_state.Persisted);
        }
    }

    private ChannelStatus Status()
    {
        var current = _state.Persisted.Current;
        var recorder = _state.Runtime.Recorder;
        return new ChannelStatus(
            Id,
            _state.Mode,
            _state.Runtime.Lifecycle,
            current?.Id,
            current?.Title,
            current?.Segments.Count ?? 0,
            current?.Bytes ?? 0,
            recorder?.Bytes ?? 0,
            current?.LastAttempt ?? 0,
            recorder?.Pid,
            _state.Persisted.DiskLow,
            _state.Runtime.Retiring,
            _state.Persisted.Processing.Select(s => s.Id).ToImmutableList(),
            current?.Directory,
            current?.StartedAt,
            _state.Persisted.Paused,
            ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(),
            _state.Runtime.Problem,
            LastSequenceNr,
            current is not null ? _state.Runtime.Live?.Quality : null,
            ChannelDecider.SkipStatus(_state, Now));
    }

    /// <summary>An adoption still probing files is cancelled: the next incarnation adopts again.</summary>
    protected override void PostStop()
    {
        _stopped.Cancel();
        _stopped.Dispose();
        _services.Metrics.ChannelGone(Id);
        LogStopped(_log, Id);
        base.PostStop();
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        LogPersistFailed(_log, Id, @event.GetType().Name, sequenceNr, cause.Message);
        _services.Metrics.JournalWriteFailed();
        base.OnPersistFailure(cause, @event, sequenceNr); // stops: the shard starts it again after its back-off, and it replays
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        LogPersistRejected(_log, Id, @event.GetType().Name, sequenceNr, cause.Message);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "channel {Channel}: this node no longer holds the channel (its shard's lease lapsed); it stops without acting on {Input}")]
    private static partial void LogFenced(ILogger logger, string channel, string input);

    [LoggerMessage(Level = LogLevel.Information, Message = "channel {Channel}: running on this node (journal at #{SequenceNr})")]
    private static partial void LogRunning(ILogger logger, string channel, long sequenceNr);

    [LoggerMessage(Level = LogLevel.Information, Message = "channel {Channel}: stopped on this node")]
    private static partial void LogStopped(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "channel {Channel}: writing {Event} (#{SequenceNr}) failed, the channel stops and restarts from its journal: {Reason}")]
    private static partial void LogPersistFailed(ILogger logger, string channel, string @event, long sequenceNr, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "channel {Channel}: the journal rejected {Event} (#{SequenceNr}); its effects are skipped: {Reason}")]
    private static partial void LogPersistRejected(ILogger logger, string channel, string @event, long sequenceNr, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "channel {Channel}: {Problem}")]
    private static partial void LogJournalUnreadable(ILogger logger, string channel, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "channel {Channel}: a message it was sent cannot be read (manifest {Manifest}), it is dropped: {Reason}")]
    private static partial void LogUnreadableMessage(ILogger logger, string channel, string manifest, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "channel {Channel}: saving or pruning a snapshot failed (replay just reads more events): {Reason}")]
    private static partial void LogSnapshotFailed(ILogger logger, string channel, string reason);

    private sealed class AskSettingsAgain
    {
        public static readonly AskSettingsAgain Instance = new();
    }

    private sealed class DiskTick
    {
        public static readonly DiskTick Instance = new();
    }

    /// <summary>A disk measurement's answer: the free bytes, or why there are none.</summary>
    private sealed record DiskMeasurement(long? FreeBytes, string Folder, string? Error);

    /// <summary>The stop message a retired channel asks its shard to send it (passivation).</summary>
    public sealed class PassivateNow
    {
        public static readonly PassivateNow Instance = new();
    }
}
