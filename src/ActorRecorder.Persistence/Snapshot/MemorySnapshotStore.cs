namespace ActorRecorder.Persistence.Snapshot;

/// <summary>A snapshot store in memory, for tests and demos; one lock makes every call atomic.</summary>
public sealed class MemorySnapshotStore : ISnapshotStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, SelectedSnapshot>> _snapshots = new(StringComparer.Ordinal);

    public Task SaveAsync(SelectedSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(snapshot.Metadata.PersistenceId, out var byId))
            {
                byId = [];
                _snapshots[snapshot.Metadata.PersistenceId] = byId;
            }
            byId[snapshot.Metadata.SequenceNr] = snapshot;
        }
        return Task.CompletedTask;
    }

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            var found = _snapshots.TryGetValue(persistenceId, out var byId)
                ? byId.Values.Where(s => criteria.Matches(s.Metadata)).LastOrDefault()
                : null;
            return Task.FromResult(found);
        }
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_gate)
        {
            if (_snapshots.TryGetValue(metadata.PersistenceId, out var byId))
            {
                byId.Remove(metadata.SequenceNr);
            }
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            if (_snapshots.TryGetValue(persistenceId, out var byId))
            {
                foreach (var sequenceNr in byId.Values.Where(s => criteria.Matches(s.Metadata)).Select(s => s.Metadata.SequenceNr).ToList())
                {
                    byId.Remove(sequenceNr);
                }
            }
        }
        return Task.CompletedTask;
    }
}
