using ActorRecorder.Actors;

namespace ActorRecorder.Persistence;

/// <summary>
/// The failure hooks (Akka.NET's): each logs by default and may be overridden; what follows them
/// (stop or keep running) is not up to the override. Failure replies nobody handles become warnings.
/// </summary>
public abstract partial class Eventsourced
{
    /// <summary>Called when an event could not be stored (the write failed); the actor is stopped right after.</summary>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        PersistenceLog.PersistFailed(Log, cause, @event.GetType().Name, sequenceNr, PersistenceId, cause.Message);

    /// <summary>Called when the journal rejected an event (e.g. it cannot be serialized); its handler does not run, the actor keeps running.</summary>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        PersistenceLog.PersistRejected(Log, cause, @event.GetType().Name, sequenceNr, PersistenceId, cause.Message);

    /// <summary>Called when recovery failed (snapshot or journal unreadable, unknown manifest, a recover handler threw); the actor is stopped right after.</summary>
    /// <param name="message">The replayed event whose handler threw, when that was the cause.</param>
    protected virtual void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (message is null)
        {
            PersistenceLog.RecoveryFailed(Log, reason, PersistenceId, LastSequenceNr, reason.Message);
        }
        else
        {
            PersistenceLog.RecoverHandlerFailed(Log, reason, message.GetType().Name, LastSequenceNr, PersistenceId, reason.Message);
        }
    }

    protected override void Unhandled(object message)
    {
        switch (message)
        {
            case RecoveryCompleted:
                break;
            case SaveSnapshotFailure failure:
                PersistenceLog.UnhandledFailure(Log, failure.Cause, "SaveSnapshot", PersistenceId, failure.Cause.Message);
                break;
            case DeleteSnapshotFailure failure:
                PersistenceLog.UnhandledFailure(Log, failure.Cause, "DeleteSnapshot", PersistenceId, failure.Cause.Message);
                break;
            case DeleteSnapshotsFailure failure:
                PersistenceLog.UnhandledFailure(Log, failure.Cause, "DeleteSnapshots", PersistenceId, failure.Cause.Message);
                break;
            case DeleteMessagesFailure failure:
                PersistenceLog.UnhandledFailure(Log, failure.Cause, "DeleteMessages", PersistenceId, failure.Cause.Message);
                break;
            default:
                base.Unhandled(message);
                break;
        }
    }
}
