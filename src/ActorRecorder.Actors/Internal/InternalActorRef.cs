namespace ActorRecorder.Actors.Internal;

/// <summary>The kernel's view of a reference: it can also take system messages.</summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public abstract void SendSystem(SystemMessage message);

    public abstract bool IsTerminated { get; }

    public virtual bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"[{Path}]";
}

/// <summary>The reference of an actor that lives in a cell of this process.</summary>
internal sealed class LocalActorRef(ActorCell cell) : InternalActorRef
{
    public ActorCell Cell { get; } = cell;

    public override ActorPath Path => Cell.Path;

    public override void Tell(object message, IActorRef? sender) => Cell.SendMessage(message, sender);

    public override void SendSystem(SystemMessage message) => Cell.SendSystem(message);

    public override bool IsTerminated => Cell.IsTerminated;
}

/// <summary>Points nowhere; drops everything.</summary>
internal sealed class NobodyRef : InternalActorRef
{
    public static readonly NobodyRef Instance = new();

    private static readonly ActorPath NobodyPath = ActorPath.CreateRoot("all-systems") / "Nobody";

    public override ActorPath Path => NobodyPath;

    public override void Tell(object message, IActorRef? sender) { }

    public override void SendSystem(SystemMessage message)
    {
        if (message is SysWatch watch)
        {
            watch.Watcher.SendSystem(new SysDeathWatchNotification(this, existenceConfirmed: false));
        }
    }

    public override bool IsTerminated => true;
}
