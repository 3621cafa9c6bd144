namespace ActorRecorder.Persistence.Snapshot;

/// <summary>
/// Which snapshots a load or delete considers: sequence nr and timestamp (Unix ms) within the bounds,
/// all inclusive. <see cref="Latest"/> takes any; <see cref="None"/> takes none.
/// </summary>
public sealed record SnapshotSelectionCriteria(
    long MaxSequenceNr,
    long MaxTimestamp = long.MaxValue,
    long MinSequenceNr = 0,
    long MinTimestamp = 0)
{
    public static SnapshotSelectionCriteria Latest { get; } = new(long.MaxValue);

    public static SnapshotSelectionCriteria None { get; } = new(0, 0);

    public bool Matches(SnapshotMetadata metadata) =>
        metadata.SequenceNr <= MaxSequenceNr && metadata.Timestamp <= MaxTimestamp
        && metadata.SequenceNr >= MinSequenceNr && metadata.Timestamp >= MinTimestamp;

    /// <summary>The same criteria capped at <paramref name="toSequenceNr"/> (recovery never offers a snapshot past its target).</summary>
    public SnapshotSelectionCriteria Limit(long toSequenceNr) =>
        toSequenceNr < MaxSequenceNr ? this with { MaxSequenceNr = toSequenceNr } : this;
}
