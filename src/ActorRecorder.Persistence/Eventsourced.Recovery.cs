using ActorRecorder.Actors;
using ActorRecorder.Persistence.Internal;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence;

/// <summary>
/// Recovery: load the latest snapshot (offered as <see cref="SnapshotOffer"/>), replay the events
/// after it through the recover handlers, then <see cref="RecoveryCompleted"/>. Each step runs off the
/// actor's thread and reports back as a message; commands meanwhile wait in the internal stash.
/// </summary>
public abstract partial class Eventsourced
{
    private Recovery _recovery = Recovery.Default;

    private void StartRecovery()
    {
        _recovery = Recovery;
        _phase = Phase.RecoveryStarted;
        var criteria = _recovery.FromSnapshot.Limit(_recovery.ToSequenceNr);
        if (criteria.MaxSequenceNr <= 0 || criteria.MaxTimestamp < criteria.MinTimestamp)
        {
            Self.Tell(new SnapshotLoaded(_instanceId, null), ActorRefs.NoSender);
            return;
        }
        var store = SnapshotStore;
        var persistenceId = PersistenceId;
        var instanceId = _instanceId;
        PipeToSelf(
            Start(() => store.LoadAsync(persistenceId, criteria)),
            snapshot => new SnapshotLoaded(instanceId, snapshot),
            cause => new SnapshotLoadFailed(instanceId, cause));
    }

    private void OnSnapshotLoaded(SelectedSnapshot? snapshot)
    {
        if (_phase != Phase.RecoveryStarted)
        {
            return;
        }
        if (snapshot is not null)
        {
            object state;
            try
            {
                state = Serializer.Deserialize(snapshot.Manifest, snapshot.Snapshot);
            }
            catch (Exception ex)
            {
                FailRecovery(ex, null);
                return;
            }
            SnapshotSequenceNr = snapshot.Metadata.SequenceNr;
            SetLastSequenceNr(snapshot.Metadata.SequenceNr);
            if (!TryRecover(new SnapshotOffer(snapshot.Metadata, state)))
            {
                return;
            }
        }
        _phase = Phase.Replaying;
        var journal = Journal;
        var self = Self;
        var instanceId = _instanceId;
        var persistenceId = PersistenceId;
        var from = LastSequenceNr + 1;
        var to = _recovery.ToSequenceNr;
        var max = _recovery.ReplayMax;
        var batchSize = Persistence.Settings.ReplayBatchSize;
        _ = Start(() => ReplayAsync(journal, self, instanceId, persistenceId, from, to, max, batchSize));
    }

    /// <summary>
    /// Reads the highest sequence number first (the journal waits for this id's writes still in
    /// flight), then replays up to it in batches, then reports success; any failure is reported once.
    /// </summary>
    private static async Task ReplayAsync(IJournal journal, IActorRef self, int instanceId, string persistenceId,
        long from, long to, long max, int batchSize)
    {
        var batch = new List<PersistentRepr>(Math.Min(batchSize, 64));
        try
        {
            var highest = await journal.ReadHighestSequenceNrAsync(persistenceId, from).ConfigureAwait(false);
            var last = Math.Min(to, highest);
            if (last >= from && max > 0)
            {
                await journal.ReplayMessagesAsync(persistenceId, from, last, max, repr =>
                {
                    batch.Add(repr);
                    if (batch.Count >= batchSize)
                    {
                        self.Tell(new ReplayedEvents(instanceId, batch), ActorRefs.NoSender);
                        batch = new List<PersistentRepr>(batchSize);
                    }
                }).ConfigureAwait(false);
            }
            Flush(batch);
            self.Tell(new ReplaySucceeded(instanceId, highest), ActorRefs.NoSender);
        }
        catch (Exception ex)
        {
            // The events read before the failure are still applied, so the log names the last good one.
            Flush(batch);
            self.Tell(new ReplayFailed(instanceId, ex), ActorRefs.NoSender);
        }

        void Flush(List<PersistentRepr> rest)
        {
            if (rest.Count > 0)
            {
                self.Tell(new ReplayedEvents(instanceId, rest), ActorRefs.NoSender);
                batch = [];
            }
        }
    }

    private void OnReplayed(List<PersistentRepr> events)
    {
        foreach (var repr in events)
        {
            if (_phase != Phase.Replaying)
            {
                return;
            }
            object @event;
            try
            {
                @event = Serializer.Deserialize(repr.Manifest, repr.Payload);
            }
            catch (Exception ex)
            {
                SetLastSequenceNr(repr.SequenceNr);
                FailRecovery(ex, null);
                return;
            }
            SetLastSequenceNr(repr.SequenceNr);
            if (!TryRecover(@event))
            {
                return;
            }
        }
    }

    private void OnReplaySucceeded(long highestSequenceNr)
    {
        if (_phase != Phase.Replaying)
        {
            return;
        }
        SetLastSequenceNr(Math.Max(highestSequenceNr, LastSequenceNr));
        // As in Akka: IsRecovering is already false in the RecoveryCompleted handler, which may persist.
        _phase = Phase.ProcessingCommands;
        if (!TryRecover(RecoveryCompleted.Instance))
        {
            return;
        }
        if (_eventBatch.Count > 0)
        {
            FlushBatch();
        }
        if (_pendingStashingPersistInvocations > 0)
        {
            _phase = Phase.PersistingEvents;
        }
        else
        {
            _internalStash.UnstashAll();
        }
    }

    private bool TryRecover(object message)
    {
        try
        {
            if (!ReceiveRecover(message))
            {
                Unhandled(message);
            }
            return true;
        }
        catch (Exception ex)
        {
            FailRecovery(ex, message);
            return false;
        }
    }

    private void FailRecovery(Exception reason, object? message)
    {
        if (_phase == Phase.Failed)
        {
            return;
        }
        _phase = Phase.Failed;
        try
        {
            OnRecoveryFailure(reason, message is RecoveryCompleted ? null : message);
        }
        finally
        {
            Context.Stop(Self);
        }
    }

    private void SetLastSequenceNr(long sequenceNr)
    {
        LastSequenceNr = sequenceNr;
        _sequenceNr = sequenceNr;
    }
}
