namespace ActorRecorder.Persistence.Snapshot;

/// <summary>
/// Stores snapshots of persistent actors' state so recovery can start from one instead of the first
/// event. Thread-safe. Every failure surfaces as a faulted task; nothing here is retried.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>
    /// Stores a snapshot atomically; a snapshot with the same persistence id and sequence number is
    /// replaced. Faults when it could not be stored (then the previous snapshots are unchanged).
    /// </summary>
    Task SaveAsync(SelectedSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>
    /// The snapshot of <paramref name="persistenceId"/> matching <paramref name="criteria"/> with the
    /// highest sequence number (the latest timestamp among equals), or null when there is none.
    /// </summary>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Deletes the one snapshot with that persistence id and sequence number, if it exists.</summary>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot of <paramref name="persistenceId"/> matching <paramref name="criteria"/>, atomically.</summary>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}
