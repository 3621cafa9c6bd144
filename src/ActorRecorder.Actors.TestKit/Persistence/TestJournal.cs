using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>
/// A journal for tests (Akka.Persistence.TestKit's): wraps any journal and injects faults — failed or
/// rejected writes, failed recoveries and deletes — for the next N operations, all of them or those
/// whose event matches a type or predicate, optionally after a delay; gates hold operations in flight.
/// A failed write stores nothing; a rejected atomic write is not stored while the others of the call are.
/// </summary>
public sealed class TestJournal(IJournal inner, EventSerializer serializer) : IJournal
{
    private readonly FaultRules _failWrites = new();
    private readonly FaultRules _rejectWrites = new();
    private readonly FaultRules _failRecovery = new();
    private readonly FaultRules _failDeletes = new();
    private volatile TestGate? _writeGate;
    private volatile TestGate? _recoveryGate;

    public IJournal Inner => inner;

    /// <summary>The next <paramref name="count"/> write calls with an event matching <paramref name="when"/> (any when null) fail.</summary>
    public void FailNextWrites(int count = 1, Func<object, bool>? when = null, TimeSpan? delay = null) =>
        _failWrites.Add(count, when, delay);

    public void FailNextWrites<TEvent>(int count = 1, Func<TEvent, bool>? when = null, TimeSpan? delay = null) =>
        _failWrites.Add(count, FaultRules.Typed(when), delay);

    /// <summary>The next <paramref name="count"/> atomic writes with an event matching <paramref name="when"/> are rejected.</summary>
    public void RejectNextWrites(int count = 1, Func<object, bool>? when = null, TimeSpan? delay = null) =>
        _rejectWrites.Add(count, when, delay);

    public void RejectNextWrites<TEvent>(int count = 1, Func<TEvent, bool>? when = null, TimeSpan? delay = null) =>
        _rejectWrites.Add(count, FaultRules.Typed(when), delay);

    /// <summary>
    /// The next <paramref name="count"/> replays fail: at once when <paramref name="when"/> is null,
    /// else when they reach a matching event (the events before it are delivered).
    /// </summary>
    public void FailRecovery(int count = 1, Func<object, bool>? when = null, TimeSpan? delay = null) =>
        _failRecovery.Add(count, when, delay);

    public void FailRecovery<TEvent>(int count = 1, Func<TEvent, bool>? when = null, TimeSpan? delay = null) =>
        _failRecovery.Add(count, FaultRules.Typed(when), delay);

    /// <summary>The next <paramref name="count"/> DeleteMessagesTo calls fail.</summary>
    public void FailNextDeletes(int count = 1, TimeSpan? delay = null) => _failDeletes.Add(count, null, delay);

    /// <summary>Holds every write until the returned gate is released.</summary>
    public TestGate HoldWrites() => _writeGate = new TestGate();

    /// <summary>Holds every recovery (at its first journal call, reading the highest sequence number) until the returned gate is released.</summary>
    public TestGate HoldRecovery() => _recoveryGate = new TestGate();

    /// <summary>Removes every rule and releases the gates.</summary>
    public void PassAll()
    {
        _failWrites.Clear();
        _rejectWrites.Clear();
        _failRecovery.Clear();
        _failDeletes.Clear();
        _writeGate?.Release();
        _recoveryGate?.Release();
    }

    public async Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        if (_writeGate is { } gate)
        {
            await gate.PassAsync().ConfigureAwait(false);
        }
        var all = writes.SelectMany(w => w.Payload).ToList();
        if (_failWrites.TryTake(Events(_failWrites, all), out var failDelay))
        {
            await Delay(failDelay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected write failure for {string.Join(", ", writes)}");
        }
        var results = new Exception?[writes.Count];
        var accepted = new List<AtomicWrite>(writes.Count);
        var maxDelay = TimeSpan.Zero;
        for (var i = 0; i < writes.Count; i++)
        {
            if (_rejectWrites.TryTake(Events(_rejectWrites, writes[i].Payload), out var rejectDelay))
            {
                results[i] = new InjectedFaultException($"Injected rejection of {writes[i]}");
                maxDelay = rejectDelay > maxDelay ? rejectDelay : maxDelay;
            }
            else
            {
                accepted.Add(writes[i]);
            }
        }
        await Delay(maxDelay, cancellationToken).ConfigureAwait(false);
        if (accepted.Count > 0)
        {
            var innerResults = await inner.WriteMessagesAsync(accepted, cancellationToken).ConfigureAwait(false);
            var next = 0;
            for (var i = 0; i < results.Length; i++)
            {
                if (results[i] is null)
                {
                    results[i] = innerResults[next++];
                }
            }
        }
        return results;
    }

    public async Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        if (_failRecovery.IsEmpty)
        {
            await inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback, cancellationToken)
                .ConfigureAwait(false);
            return;
        }
        if (_failRecovery.TryTake(null, out var delay))
        {
            await Delay(delay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected recovery failure for persistence id [{persistenceId}]");
        }
        var events = new List<PersistentRepr>();
        await inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, events.Add, cancellationToken).ConfigureAwait(false);
        foreach (var repr in events)
        {
            if (_failRecovery.TryTake([serializer.Deserialize(repr.Manifest, repr.Payload)], out delay))
            {
                await Delay(delay, cancellationToken).ConfigureAwait(false);
                throw new InjectedFaultException($"Injected recovery failure at {repr}");
            }
            recoveryCallback(repr);
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        if (_recoveryGate is { } gate)
        {
            await gate.PassAsync().ConfigureAwait(false);
        }
        return await inner.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        if (_failDeletes.TryTake(null, out var delay))
        {
            await Delay(delay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected delete failure for persistence id [{persistenceId}]");
        }
        await inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<JournalEvent> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr,
        long toSequenceNr, CancellationToken cancellationToken = default) =>
        inner.CurrentEventsByPersistenceIdAsync(persistenceId, fromSequenceNr, toSequenceNr, cancellationToken);

    public IAsyncEnumerable<JournalEvent> CurrentEventsByTagAsync(string tag, long afterOrdering, CancellationToken cancellationToken = default) =>
        inner.CurrentEventsByTagAsync(tag, afterOrdering, cancellationToken);

    /// <summary>The deserialized events, only when a rule has a predicate to test them with.</summary>
    private List<object>? Events(FaultRules rules, IEnumerable<PersistentRepr> reprs) =>
        rules.HasPredicates ? reprs.Select(r => serializer.Deserialize(r.Manifest, r.Payload)).ToList() : null;

    private static Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;
}
