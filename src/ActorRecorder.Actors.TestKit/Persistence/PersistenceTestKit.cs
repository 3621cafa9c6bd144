using ActorRecorder.Persistence;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Snapshot;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>
/// A <see cref="TestKit"/> whose system has persistence on an in-memory journal and snapshot store,
/// wrapped in <see cref="TestJournal"/> and <see cref="TestSnapshotStore"/> for fault injection.
/// </summary>
public abstract class PersistenceTestKit : TestKit
{
    protected PersistenceTestKit(EventSerializer serializer, ITestOutputHelper? output = null, bool virtualTime = false)
        : base(output, virtualTime)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        Serializer = serializer;
        Journal = new TestJournal(new MemoryJournal(), serializer);
        SnapshotStore = new TestSnapshotStore(new MemorySnapshotStore(), serializer);
        Sys.UsePersistence(new PersistenceSettings(Journal, SnapshotStore, serializer));
    }

    public EventSerializer Serializer { get; }

    public TestJournal Journal { get; }

    public TestSnapshotStore SnapshotStore { get; }
}
