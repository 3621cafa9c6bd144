using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence.Internal;

/// <summary>
/// Completions of journal and snapshot-store calls, sent by a persistent actor to itself. They carry
/// the incarnation that started the call: after a restart, answers meant for the old instance are dropped.
/// </summary>
internal abstract record EventsourcedMessage(int InstanceId);

internal sealed record SnapshotLoaded(int InstanceId, SelectedSnapshot? Snapshot) : EventsourcedMessage(InstanceId);

internal sealed record SnapshotLoadFailed(int InstanceId, Exception Cause) : EventsourcedMessage(InstanceId);

internal sealed record ReplayedEvents(int InstanceId, List<PersistentRepr> Events) : EventsourcedMessage(InstanceId);

internal sealed record ReplaySucceeded(int InstanceId, long HighestSequenceNr) : EventsourcedMessage(InstanceId);

internal sealed record ReplayFailed(int InstanceId, Exception Cause) : EventsourcedMessage(InstanceId);

/// <summary>
/// The outcome of one flush: <see cref="Results"/> has one entry per write handed to the journal
/// (null: stored, else rejected); <see cref="Failure"/> is set when the whole call failed.
/// </summary>
internal sealed record WritesCompleted(
    int InstanceId, long WriteId, PendingWrite[] Batch, IReadOnlyList<Exception?>? Results, Exception? Failure)
    : EventsourcedMessage(InstanceId);
