using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence;

/// <summary>Delivered to the recover handlers once replay has finished, before the first command.</summary>
public sealed class RecoveryCompleted
{
    private RecoveryCompleted() { }

    public static RecoveryCompleted Instance { get; } = new();

    public override string ToString() => "RecoveryCompleted";
}

/// <summary>Offered to the recover handlers first when recovery starts from a snapshot.</summary>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Reply (as a command) to <c>SaveSnapshot</c> once the snapshot is stored.</summary>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>Reply (as a command) to <c>SaveSnapshot</c> when it could not be serialized or stored.</summary>
public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Reply to <c>DeleteSnapshot</c>.</summary>
public sealed record DeleteSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>Reply to <c>DeleteSnapshot</c> when the store failed.</summary>
public sealed record DeleteSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Reply to <c>DeleteSnapshots</c>.</summary>
public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

/// <summary>Reply to <c>DeleteSnapshots</c> when the store failed.</summary>
public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);

/// <summary>Reply to <c>DeleteMessages</c>: the events up to <see cref="ToSequenceNr"/> are gone.</summary>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

/// <summary>Reply to <c>DeleteMessages</c> when the journal failed or the bound was past the last event.</summary>
public sealed record DeleteMessagesFailure(Exception Cause, long ToSequenceNr);

/// <summary>
/// Persist a <c>Tagged</c> to store <see cref="Payload"/> with tags for queries by tag; the persist
/// handler receives the Tagged itself, replay the payload alone (as in Akka.NET).
/// </summary>
public sealed record Tagged(object Payload, IReadOnlyList<string> Tags);

/// <summary>
/// How a persistent actor recovers: from the latest snapshot matching <see cref="FromSnapshot"/>,
/// then events up to <see cref="ToSequenceNr"/>, at most <see cref="ReplayMax"/> of them.
/// </summary>
public sealed record Recovery(SnapshotSelectionCriteria FromSnapshot, long ToSequenceNr = long.MaxValue, long ReplayMax = long.MaxValue)
{
    /// <summary>Latest snapshot, then every event after it.</summary>
    public static Recovery Default { get; } = new(SnapshotSelectionCriteria.Latest);

    /// <summary>No snapshot, no event: the actor starts empty but continues after the highest stored sequence number.</summary>
    public static Recovery None { get; } = new(SnapshotSelectionCriteria.None, 0);
}
