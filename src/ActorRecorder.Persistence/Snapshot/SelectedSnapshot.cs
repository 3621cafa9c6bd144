namespace ActorRecorder.Persistence.Snapshot;

/// <summary>A stored snapshot: its metadata, the manifest of its state type and the serialized state.</summary>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, string Manifest, byte[] Snapshot);
