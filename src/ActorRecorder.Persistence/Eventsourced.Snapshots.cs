using ActorRecorder.Actors;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence;

/// <summary>
/// Snapshots and deletion. Each call returns at once; its outcome arrives later as a command
/// (<see cref="SaveSnapshotSuccess"/>, <see cref="DeleteMessagesFailure"/>, ...). Failures nobody
/// handles are logged as warnings.
/// </summary>
public abstract partial class Eventsourced
{
    /// <summary>Stores <paramref name="snapshot"/> as the state after event <see cref="LastSequenceNr"/>.</summary>
    public void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metadata = new SnapshotMetadata(PersistenceId, LastSequenceNr, NowMilliseconds);
        var store = SnapshotStore;
        Task task;
        try
        {
            var (manifest, bytes) = Serializer.Serialize(snapshot);
            var selected = new SelectedSnapshot(metadata, manifest, bytes);
            task = Start(() => store.SaveAsync(selected));
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }
        PipeToSelf(Completion(task), _ => new SaveSnapshotSuccess(metadata), cause => new SaveSnapshotFailure(metadata, cause));
    }

    /// <summary>Deletes the snapshot taken at <paramref name="sequenceNr"/>.</summary>
    public void DeleteSnapshot(long sequenceNr)
    {
        var metadata = new SnapshotMetadata(PersistenceId, sequenceNr, 0);
        var store = SnapshotStore;
        PipeToSelf(Completion(Start(() => store.DeleteAsync(metadata))),
            _ => new DeleteSnapshotSuccess(metadata), cause => new DeleteSnapshotFailure(metadata, cause));
    }

    /// <summary>Deletes this actor's snapshots matching <paramref name="criteria"/>.</summary>
    public void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var store = SnapshotStore;
        var persistenceId = PersistenceId;
        PipeToSelf(Completion(Start(() => store.DeleteAsync(persistenceId, criteria))),
            _ => new DeleteSnapshotsSuccess(criteria), cause => new DeleteSnapshotsFailure(criteria, cause));
    }

    /// <summary>
    /// Deletes this actor's events up to <paramref name="toSequenceNr"/> (long.MaxValue: up to
    /// <see cref="LastSequenceNr"/>). A bound past the last event fails without touching the journal.
    /// </summary>
    public void DeleteMessages(long toSequenceNr)
    {
        if (toSequenceNr == long.MaxValue)
        {
            toSequenceNr = LastSequenceNr;
        }
        if (toSequenceNr > LastSequenceNr)
        {
            Self.Tell(new DeleteMessagesFailure(
                new ArgumentOutOfRangeException(nameof(toSequenceNr),
                    $"toSequenceNr [{toSequenceNr}] must be at most the last sequence nr [{LastSequenceNr}]"), toSequenceNr), ActorRefs.NoSender);
            return;
        }
        var journal = Journal;
        var persistenceId = PersistenceId;
        var bound = toSequenceNr;
        PipeToSelf(Completion(Start(() => journal.DeleteMessagesToAsync(persistenceId, bound))),
            _ => new DeleteMessagesSuccess(bound), cause => new DeleteMessagesFailure(cause, bound));
    }

    private static async Task<bool> Completion(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }
}
