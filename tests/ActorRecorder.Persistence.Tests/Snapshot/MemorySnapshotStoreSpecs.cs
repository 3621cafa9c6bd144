using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence.Tests.Snapshot;

public sealed class MemorySnapshotStoreSpecs : SnapshotStoreSpec
{
    protected override Task<ISnapshotStore> CreateStoreAsync() => Task.FromResult<ISnapshotStore>(new MemorySnapshotStore());
}
