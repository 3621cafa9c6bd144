namespace ActorRecorder.Actors.Internal;

/// <summary>
/// A reference outside the tree whose messages run a callback on the sender's thread (used by test
/// probes and event listeners). It can watch: a death notification arrives as <see cref="Terminated"/>.
/// </summary>
internal sealed class FunctionRef(ActorPath path, Action<object, IActorRef?> onMessage) : InternalActorRef
{
    private int _stopped;

    public override ActorPath Path { get; } = path;

    public override bool IsTerminated => Volatile.Read(ref _stopped) == 1;

    public override void Tell(object message, IActorRef? sender)
    {
        if (!IsTerminated)
        {
            onMessage(message, sender);
        }
    }

    public override void SendSystem(SystemMessage message)
    {
        if (message is SysDeathWatchNotification notification)
        {
            Tell(new Terminated(notification.Actor, notification.ExistenceConfirmed), notification.Actor);
        }
    }

    public void Watch(IActorRef target)
    {
        if (target is InternalActorRef internalTarget)
        {
            internalTarget.SendSystem(new SysWatch(internalTarget, this));
        }
    }

    public void Unwatch(IActorRef target)
    {
        if (target is InternalActorRef internalTarget)
        {
            internalTarget.SendSystem(new SysUnwatch(internalTarget, this));
        }
    }

    public void Stop() => Volatile.Write(ref _stopped, 1);

    internal static FunctionRef Create(ActorSystem system, string prefix, Action<object, IActorRef?> onMessage) =>
        new(system.TempPath / (prefix + system.NextTempPath().Name), onMessage);
}
