namespace ActorRecorder.Actors.Internal;

/// <summary>
/// Death watch. A watcher registers with the watchee by system message; a watchee that is already
/// dead answers at once. A notification becomes a <see cref="Terminated"/> user message, which
/// <see cref="Unwatch"/> can still cancel while it waits in the mailbox.
/// </summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject)
    {
        if (subject is InternalActorRef target && !ReferenceEquals(target, Self) && (Extras.Watching ??= []).Add(subject))
        {
            target.SendSystem(new SysWatch(target, Self));
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        if (subject is InternalActorRef target && _extras?.Watching?.Remove(subject) == true)
        {
            target.SendSystem(new SysUnwatch(target, Self));
        }
        _extras?.TerminatedQueued?.Remove(subject);
        return subject;
    }

    private void AddWatcher(InternalActorRef watcher)
    {
        if (!ReferenceEquals(watcher, Self))
        {
            (Extras.WatchedBy ??= []).Add(watcher);
        }
    }

    private void WatchedActorTerminated(InternalActorRef actor, bool existenceConfirmed)
    {
        if (_extras?.Watching?.Remove(actor) != true || _lifecycle is Lifecycle.Terminating or Lifecycle.Terminated)
        {
            return;
        }
        (Extras.TerminatedQueued ??= []).Add(actor);
        SendMessage(new Terminated(actor, existenceConfirmed), actor);
    }

    /// <summary>On stop: tell every watcher, and release the watches this actor holds.</summary>
    private void TellWatchersAndUnwatchAll()
    {
        if (_extras?.WatchedBy is { } watchers)
        {
            foreach (var watcher in watchers)
            {
                watcher.SendSystem(new SysDeathWatchNotification(Self, existenceConfirmed: true));
            }
            watchers.Clear();
        }
        if (_extras?.Watching is { } watching)
        {
            foreach (var watched in watching)
            {
                ((InternalActorRef)watched).SendSystem(new SysUnwatch((InternalActorRef)watched, Self));
            }
            watching.Clear();
        }
    }
}
