using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>
/// A snapshot store for tests: wraps any store and makes the next N saves (optionally only of
/// snapshots matching a type or predicate), loads or deletes fail, optionally after a delay.
/// </summary>
public sealed class TestSnapshotStore(ISnapshotStore inner, EventSerializer serializer) : ISnapshotStore
{
    private readonly FaultRules _failSaves = new();
    private readonly FaultRules _failLoads = new();
    private readonly FaultRules _failDeletes = new();
    private volatile TestGate? _loadGate;

    public ISnapshotStore Inner => inner;

    public void FailNextSaves(int count = 1, Func<object, bool>? when = null, TimeSpan? delay = null) => _failSaves.Add(count, when, delay);

    public void FailNextSaves<TSnapshot>(int count = 1, Func<TSnapshot, bool>? when = null, TimeSpan? delay = null) =>
        _failSaves.Add(count, FaultRules.Typed(when), delay);

    /// <summary>The next <paramref name="count"/> loads fail (so recovery fails).</summary>
    public void FailNextLoads(int count = 1, TimeSpan? delay = null) => _failLoads.Add(count, null, delay);

    public void FailNextDeletes(int count = 1, TimeSpan? delay = null) => _failDeletes.Add(count, null, delay);

    /// <summary>Holds every load until the returned gate is released.</summary>
    public TestGate HoldLoads() => _loadGate = new TestGate();

    public void PassAll()
    {
        _failSaves.Clear();
        _failLoads.Clear();
        _failDeletes.Clear();
        _loadGate?.Release();
    }

    public async Task SaveAsync(SelectedSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var state = _failSaves.HasPredicates ? new[] { serializer.Deserialize(snapshot.Manifest, snapshot.Snapshot) } : null;
        if (_failSaves.TryTake(state, out var delay))
        {
            await Delay(delay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected snapshot save failure for {snapshot.Metadata}");
        }
        await inner.SaveAsync(snapshot, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        if (_loadGate is { } gate)
        {
            await gate.PassAsync().ConfigureAwait(false);
        }
        if (_failLoads.TryTake(null, out var delay))
        {
            await Delay(delay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected snapshot load failure for persistence id [{persistenceId}]");
        }
        return await inner.LoadAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        await FailDeleteIfRequested(metadata.PersistenceId, cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(metadata, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        await FailDeleteIfRequested(persistenceId, cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailDeleteIfRequested(string persistenceId, CancellationToken cancellationToken)
    {
        if (_failDeletes.TryTake(null, out var delay))
        {
            await Delay(delay, cancellationToken).ConfigureAwait(false);
            throw new InjectedFaultException($"Injected snapshot delete failure for persistence id [{persistenceId}]");
        }
    }

    private static Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;
}
