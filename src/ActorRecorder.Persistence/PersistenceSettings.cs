using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence;

/// <summary>
/// The stores and serializer the persistent actors of one actor system use. The caller owns the
/// journal and snapshot store (and disposes them after the system terminated).
/// </summary>
public sealed record PersistenceSettings(IJournal Journal, ISnapshotStore SnapshotStore, EventSerializer Serializer)
{
    /// <summary>Replayed events are handed to a recovering actor in messages of at most this many events.</summary>
    public int ReplayBatchSize { get; init; } = 512;

    /// <summary>In-memory journal and snapshot store (nothing survives the process): for tests and demos.</summary>
    public static PersistenceSettings InMemory(EventSerializer serializer) =>
        new(new MemoryJournal(), new MemorySnapshotStore(), serializer);
}
