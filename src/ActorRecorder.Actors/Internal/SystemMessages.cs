namespace ActorRecorder.Actors.Internal;

/// <summary>
/// Kernel-to-kernel messages (create, stop, watch, failure...). They live in their own queue and
/// overtake user messages: a cell processes every pending system message before the next user message.
/// </summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

internal sealed class SysCreate : SystemMessage;

internal sealed class SysRecreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class SysResume : SystemMessage;

internal sealed class SysTerminate : SystemMessage;

internal sealed class SysWatch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;
    public InternalActorRef Watcher { get; } = watcher;
}

internal sealed class SysUnwatch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary>Tells a watcher that <see cref="Actor"/> has stopped.</summary>
internal sealed class SysDeathWatchNotification(InternalActorRef actor, bool existenceConfirmed) : SystemMessage
{
    public InternalActorRef Actor { get; } = actor;
    public bool ExistenceConfirmed { get; } = existenceConfirmed;
}

/// <summary>A child reports a failure to its parent, which asks its supervisor strategy.</summary>
internal sealed class SysFailed(ActorCell child, Exception cause) : SystemMessage
{
    public ActorCell Child { get; } = child;
    public Exception Cause { get; } = cause;
}

internal sealed class SysChildTerminated(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>The task an async handler returned has finished: user messages may flow again.</summary>
internal sealed class SysTaskCompleted(Task task) : SystemMessage
{
    public Task Task { get; } = task;
}

/// <summary>A continuation of an async handler, run inside the actor's turn like Akka's ActorTaskScheduler.</summary>
internal sealed class SysContinuation(SendOrPostCallback callback, object? state) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;
    public object? State { get; } = state;
}

/// <summary>Marks the closed end of a queue: pushes that meet it are rerouted (dead letters, immediate notifications).</summary>
internal sealed class ClosedSystemQueue : SystemMessage
{
    public static readonly ClosedSystemQueue Instance = new();
}
