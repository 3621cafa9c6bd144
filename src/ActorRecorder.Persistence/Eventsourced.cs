using ActorRecorder.Actors;
using ActorRecorder.Persistence.Internal;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Snapshot;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Persistence;

/// <summary>
/// An event-sourced actor (Akka.NET's <c>Eventsourced</c>): it rebuilds its state by replaying its
/// journal when it starts or restarts, and changes it only in handlers that run once events are
/// durable. States: recovering (commands are stashed) → processing commands ⇄ persisting events
/// (after <c>Persist</c>/<c>PersistAll</c>, commands are stashed until every handler ran; after
/// <c>PersistAsync</c> they are not). Journal calls never block the actor's thread: their outcome
/// comes back as a message, so the actor stays single-threaded.
/// Failures: a failed write calls <see cref="OnPersistFailure"/> and stops the actor (run it under a
/// BackoffSupervisor); a rejected write calls <see cref="OnPersistRejected"/> and the actor keeps
/// running; a failed recovery calls <see cref="OnRecoveryFailure"/> and stops the actor.
/// </summary>
public abstract partial class Eventsourced : ActorBase
{
    private static int s_instanceCounter;

    private readonly int _instanceId = Interlocked.Increment(ref s_instanceCounter);
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");
    private readonly IStash _internalStash;
    private PersistenceExtension? _persistence;
    private ILogger? _log;
    private Phase _phase = Phase.Constructing;
    private bool _asyncCommandRunning;

    protected Eventsourced()
    {
        _internalStash = new ActorStash(Cell);
    }

    private enum Phase : byte
    {
        Constructing,
        RecoveryStarted,
        Replaying,
        ProcessingCommands,
        PersistingEvents,
        Failed,
    }

    /// <summary>The actor's stable identity in the journal; must not change between incarnations.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The sequence number of the last event replayed or written (rejected writes count too, as in Akka).</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>The sequence number of the snapshot recovery started from (0 when none).</summary>
    public long SnapshotSequenceNr { get; private set; }

    /// <summary>True until replay has finished (false already in the <see cref="RecoveryCompleted"/> handler).</summary>
    public bool IsRecovering => _phase is Phase.Constructing or Phase.RecoveryStarted or Phase.Replaying;

    public bool IsRecoveryFinished => !IsRecovering;

    /// <summary>How this actor recovers (default: latest snapshot, then every later event).</summary>
    public virtual Recovery Recovery => Recovery.Default;

    /// <summary>The persistence of this actor's system: journal, snapshot store, serializer.</summary>
    protected PersistenceExtension Persistence =>
        _persistence ?? throw new InvalidOperationException("Persistence is available once the actor is constructed");

    protected ILogger Log => _log ??= Context.GetLogger();

    private IJournal Journal => Persistence.Settings.Journal;

    private ISnapshotStore SnapshotStore => Persistence.Settings.SnapshotStore;

    private EventSerializer Serializer => Persistence.Settings.Serializer;

    /// <summary>Handles a replayed event, a <see cref="SnapshotOffer"/> or <see cref="RecoveryCompleted"/>; false: unhandled.</summary>
    protected abstract bool ReceiveRecover(object message);

    /// <summary>Handles a command; false: unhandled.</summary>
    protected abstract bool ReceiveCommand(object message);

    protected internal sealed override bool Receive(object message)
    {
        if (message is EventsourcedMessage own)
        {
            if (own.InstanceId == _instanceId)
            {
                HandleOwn(own);
            }
            return true;
        }
        if (_phase == Phase.ProcessingCommands)
        {
            return ProcessCommand(message);
        }
        // Recovering, persisting, or failed and about to stop: keep the command for later (or for dead letters).
        _internalStash.Stash();
        return true;
    }

    private void HandleOwn(EventsourcedMessage message)
    {
        switch (message)
        {
            case WritesCompleted completed:
                OnWritesCompleted(completed);
                break;
            case SnapshotLoaded loaded:
                OnSnapshotLoaded(loaded.Snapshot);
                break;
            case SnapshotLoadFailed failed:
                FailRecovery(failed.Cause, null);
                break;
            case ReplayedEvents replayed:
                OnReplayed(replayed.Events);
                break;
            case ReplaySucceeded succeeded:
                OnReplaySucceeded(succeeded.HighestSequenceNr);
                break;
            case ReplayFailed failed:
                FailRecovery(failed.Cause, null);
                break;
        }
    }

    private bool ProcessCommand(object message)
    {
        bool handled;
        try
        {
            handled = ReceiveCommand(message);
        }
        catch
        {
            AfterCommand(error: true);
            throw;
        }
        AfterCommand(error: false);
        return handled;
    }

    /// <summary>
    /// After a command: hands the events it persisted to the journal, and either waits for their
    /// handlers (stashing) or lets the next stashed command in. One command at a time comes out of the
    /// internal stash, so a command that persists again keeps the rest in order.
    /// </summary>
    private void AfterCommand(bool error)
    {
        if (_eventBatch.Count > 0)
        {
            FlushBatch();
        }
        if (_asyncCommandRunning)
        {
            return;
        }
        if (_pendingStashingPersistInvocations > 0)
        {
            _phase = Phase.PersistingEvents;
        }
        else
        {
            UnstashInternally(all: error);
        }
    }

    private void UnstashInternally(bool all)
    {
        if (all)
        {
            _internalStash.UnstashAll();
        }
        else
        {
            _internalStash.Unstash();
        }
    }

    /// <summary>Runs an async command handler; the mailbox waits for it, and its events are flushed when it ends.</summary>
    private protected void RunAsyncCommand(Func<Task> handler)
    {
        _asyncCommandRunning = true;
        Cell.RunTask(() => AwaitCommand(handler));
    }

    private async Task AwaitCommand(Func<Task> handler)
    {
        Task task;
        try
        {
            task = handler();
        }
        catch
        {
            _asyncCommandRunning = false;
            throw;
        }
        if (task.IsCompleted)
        {
            // Completed at once: ProcessCommand finishes the command as for a synchronous handler.
            _asyncCommandRunning = false;
            await task.ConfigureAwait(false);
            return;
        }
        var failed = false;
        try
        {
            // Continues on the actor's synchronization context, inside the actor's turn.
            await task;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            _asyncCommandRunning = false;
            AfterCommand(failed);
        }
    }

    internal override void OnConstructed()
    {
        base.OnConstructed();
        if (string.IsNullOrEmpty(PersistenceId))
        {
            throw new InvalidOperationException($"{GetType().Name} has an empty PersistenceId");
        }
        _persistence = PersistenceExtension.Get(Context.System);
        StartRecovery();
    }

    // A restart or stop puts the commands held back by recovery or persisting back into the mailbox
    // (so the next incarnation sees them, or dead letters do) before the user's hooks run.
    internal override void AroundPreRestart(Exception reason, object? message)
    {
        try
        {
            _internalStash.UnstashAll();
        }
        finally
        {
            base.AroundPreRestart(reason, message);
        }
    }

    internal override void AroundPostStop()
    {
        try
        {
            _internalStash.UnstashAll();
        }
        finally
        {
            base.AroundPostStop();
        }
    }

    private long NowMilliseconds => Context.System.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
