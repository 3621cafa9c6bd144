namespace ActorRecorder.Actors.Internal;

/// <summary>Dispatch of system messages; each runs inside the cell's turn.</summary>
internal sealed partial class ActorCell
{
    private void ProcessSystemMessage(SystemMessage message)
    {
        if (_lifecycle == Lifecycle.Terminated)
        {
            // The rest of a batch that held the stop: answer as a dead actor would.
            HandleSystemMessageAfterTermination(message);
            return;
        }
        try
        {
            switch (message)
            {
                case SysCreate:
                    Create();
                    break;
                case SysRecreate recreate:
                    Recreate(recreate.Cause);
                    break;
                case SysResume:
                    if (_lifecycle == Lifecycle.Suspended && _actor is not null)
                    {
                        _lifecycle = Lifecycle.Running;
                        ClearCurrentMessage();
                    }
                    break;
                case SysTerminate:
                    Terminate();
                    break;
                case SysWatch watch:
                    AddWatcher(watch.Watcher);
                    break;
                case SysUnwatch unwatch:
                    _extras?.WatchedBy?.Remove(unwatch.Watcher);
                    break;
                case SysDeathWatchNotification notification:
                    WatchedActorTerminated(notification.Actor, notification.ExistenceConfirmed);
                    break;
                case SysFailed failed:
                    HandleChildFailure(failed.Child, failed.Cause);
                    break;
                case SysChildTerminated childTerminated:
                    HandleChildTerminated(childTerminated.Child);
                    break;
                case SysTaskCompleted completed:
                    OnTaskCompleted(completed.Task);
                    break;
                case SysContinuation continuation:
                    RunContinuation(continuation);
                    break;
            }
        }
        catch (Exception ex)
        {
            LogError(ex, $"processing system message {message.GetType().Name} failed");
        }
    }
}
