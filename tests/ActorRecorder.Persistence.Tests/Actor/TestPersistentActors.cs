using ActorRecorder.Actors;
using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Persistence.Tests.Actor;

public sealed record Added(string Value);

public sealed record ListState(IReadOnlyList<string> Items);

public sealed record NotRegistered(string Value);

public sealed record Add(string Value);

public sealed record AddAsync(string Value);

public sealed record AddAll(IReadOnlyList<string> Values);

public sealed record AddTagged(string Value, string Tag);

public sealed record AddUnserializable(string Value);

public sealed record DeferAfter(string Value, bool PersistFirst);

public sealed record AddAfterAwait(string Value);

public sealed record TakeSnapshot;

public sealed record DeleteUpTo(long SequenceNr);

public sealed record GetState;

public sealed record Crash;

/// <summary>What the collector reports to its probe.</summary>
public sealed record Persisted(string Value, long SequenceNr);

public sealed record Recovered(IReadOnlyList<string> Items, long LastSequenceNr, long SnapshotSequenceNr, int EventsReplayed, bool WasRecovering);

public sealed record State(IReadOnlyList<string> Items, long LastSequenceNr, bool IsRecovering);

public sealed record PersistFailed(string Cause, long SequenceNr);

public sealed record PersistRejected(object Event, long SequenceNr);

public sealed record RecoveryFailed(string Reason);

public sealed record Deferred(string Value);

public static class TestSerializer
{
    public static EventSerializer Create() => new EventSerializer()
        .Register<Added>("added")
        .Register<ListState>("list-state");
}

/// <summary>
/// A persistent list: each command persists an event whose handler appends to the list and answers
/// the sender; lifecycle outcomes go to the probe.
/// </summary>
public sealed class Collector : ReceivePersistentActor
{
    private readonly IActorRef _probe;
    private List<string> _items = [];
    private int _replayed;
    private bool _recoveringSeenInHandler;

    public Collector(string persistenceId, IActorRef probe, Recovery? recovery = null, string? persistOnRecovery = null)
    {
        PersistenceId = persistenceId;
        _probe = probe;
        Recovery = recovery ?? Recovery.Default;
        Recover<SnapshotOffer>(offer => _items = ((ListState)offer.Snapshot).Items.ToList());
        Recover<Added>(e =>
        {
            _recoveringSeenInHandler |= IsRecovering;
            _replayed++;
            _items.Add(e.Value);
        });
        Recover<RecoveryCompleted>(_ =>
        {
            _probe.Tell(new Recovered(_items.ToList(), LastSequenceNr, SnapshotSequenceNr, _replayed, _recoveringSeenInHandler));
            if (persistOnRecovery is not null)
            {
                Persist(new Added(persistOnRecovery), Apply);
            }
        });
        Command<Add>(c => Persist(new Added(c.Value), Apply));
        Command<AddAsync>(c => PersistAsync(new Added(c.Value), Apply));
        Command<AddAll>(c => PersistAll(c.Values.Select(v => new Added(v)), Apply));
        Command<AddTagged>(c => Persist(new Tagged(new Added(c.Value), [c.Tag]), t => Apply((Added)t.Payload)));
        Command<AddUnserializable>(c => Persist(new NotRegistered(c.Value), e => Apply(new Added(e.Value))));
        Command<DeferAfter>(c =>
        {
            if (c.PersistFirst)
            {
                PersistAsync(new Added(c.Value), Apply);
            }
            var sender = Sender;
            DeferAsync(c.Value, v => sender.Tell(new Deferred(v)));
        });
        CommandAsync<AddAfterAwait>(async c =>
        {
            await Task.Yield();
            Persist(new Added(c.Value), Apply);
        });
        Command<TakeSnapshot>(_ => SaveSnapshot(new ListState(_items.ToList())));
        Command<DeleteUpTo>(c => DeleteMessages(c.SequenceNr));
        Command<GetState>(_ => Sender.Tell(new State(_items.ToList(), LastSequenceNr, IsRecovering)));
        Command<Crash>(_ => throw new InvalidOperationException("crash requested"));
        Command<SaveSnapshotSuccess>(m => _probe.Tell(m));
        Command<SaveSnapshotFailure>(m => _probe.Tell(m));
        Command<DeleteMessagesSuccess>(m => _probe.Tell(m));
        Command<DeleteMessagesFailure>(m => _probe.Tell(m));
    }

    public override string PersistenceId { get; }

    public override Recovery Recovery { get; }

    private void Apply(Added e)
    {
        _items.Add(e.Value);
        Sender.Tell(new Persisted(e.Value, LastSequenceNr));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _probe.Tell(new PersistFailed(cause.Message, sequenceNr));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _probe.Tell(new PersistRejected(@event, sequenceNr));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _probe.Tell(new RecoveryFailed(reason.Message));
        base.OnRecoveryFailure(reason, message);
    }
}
