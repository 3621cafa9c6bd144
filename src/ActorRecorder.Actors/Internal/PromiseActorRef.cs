namespace ActorRecorder.Actors.Internal;

/// <summary>
/// A temporary reference that completes a task with the first message it gets (or with the death
/// of an actor it watches). It lives outside the tree under /temp and is never restarted.
/// </summary>
internal sealed class PromiseActorRef : InternalActorRef
{
    private readonly TaskCompletionSource<object> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorPath path) => Path = path;

    public override ActorPath Path { get; }

    public Task<object> Task => _completion.Task;

    public override bool IsTerminated => _completion.Task.IsCompleted;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is Status.Failure failure)
        {
            _completion.TrySetException(failure.Cause);
        }
        else
        {
            _completion.TrySetResult(message);
        }
    }

    public override void SendSystem(SystemMessage message)
    {
        if (message is SysDeathWatchNotification notification)
        {
            _completion.TrySetResult(new Terminated(notification.Actor, notification.ExistenceConfirmed));
        }
    }

    public bool TrySetException(Exception exception) => _completion.TrySetException(exception);

    public bool TrySetCanceled(CancellationToken token) => _completion.TrySetCanceled(token);
}
