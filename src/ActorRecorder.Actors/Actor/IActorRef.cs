namespace ActorRecorder.Actors;

/// <summary>
/// An immutable, thread-safe handle to an actor. Sending never blocks and never throws: a message
/// to an actor that is gone ends up in dead letters.
/// </summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>The actor's path, unique within its system.</summary>
    ActorPath Path { get; }

    /// <summary>Enqueues <paramref name="message"/> for the actor; <paramref name="sender"/> becomes its <c>Sender</c>.</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>Use as the sender when there is none; the receiver sees dead letters as <c>Sender</c>.</summary>
    public static readonly IActorRef? NoSender;

    /// <summary>A reference that points at no actor: everything sent to it is dropped silently.</summary>
    public static readonly IActorRef Nobody = Internal.NobodyRef.Instance;
}
