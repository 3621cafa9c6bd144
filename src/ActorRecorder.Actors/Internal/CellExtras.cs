namespace ActorRecorder.Actors.Internal;

/// <summary>Cell state most actors never need; allocated on first use so an idle actor stays small.</summary>
internal sealed class CellExtras
{
    /// <summary>Children by name; guarded by locking the dictionary (the system creates top-level actors from any thread).</summary>
    public Dictionary<string, ActorCell>? Children;

    public Dictionary<ActorCell, ChildStats>? ChildStats;

    /// <summary>Children asked to stop and not yet gone; a restart waits for them.</summary>
    public HashSet<ActorCell>? StoppingChildren;

    /// <summary>Actors this one watches.</summary>
    public HashSet<IActorRef>? Watching;

    /// <summary>Terminated messages enqueued but not yet processed; Unwatch removes them so they are dropped.</summary>
    public HashSet<IActorRef>? TerminatedQueued;

    /// <summary>Actors that watch this one.</summary>
    public HashSet<InternalActorRef>? WatchedBy;

    public int RestartCount;

    public int AutoNameCounter;

    /// <summary>Failure cause kept while a restart waits for the old children to stop.</summary>
    public Exception? PendingRecreateCause;

    public ReceiveTimeoutState? ReceiveTimeout;

    public ActorSynchronizationContext? SyncContext;

    /// <summary>The task of an async handler the mailbox waits for; user messages wait meanwhile.</summary>
    public Task? PendingTask;

    /// <summary>Unstashed messages, taken before the queue.</summary>
    public Envelope? Prepended;
}


/// <summary>Per-child restart bookkeeping for the supervisor's retry window.</summary>
internal sealed class ChildStats
{
    public int RetriesInWindow;
    public long WindowStartTicks;
}
