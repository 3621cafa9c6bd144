namespace ActorRecorder.Persistence.Snapshot;

/// <summary>Identifies a snapshot: whose, taken after which event, and when (Unix milliseconds).</summary>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, long Timestamp);
