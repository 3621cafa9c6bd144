using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>Stops the receiver when it is processed, after the messages enqueued before it.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    private PoisonPill() { }

    public static PoisonPill Instance { get; } = new();

    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the receiver fail with <see cref="ActorKilledException"/> (the default decider stops it).</summary>
public sealed class Kill : IAutoReceivedMessage
{
    private Kill() { }

    public static Kill Instance { get; } = new();

    public override string ToString() => "<Kill>";
}

/// <summary>Marks a message that does not reset the receive timeout.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Sent to an actor that has received nothing for its receive timeout.</summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    private ReceiveTimeout() { }

    public static ReceiveTimeout Instance { get; } = new();

    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Delivered to a watcher when a watched actor has stopped (or was already dead when watched).</summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor was never known to exist.</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed)
    : INotInfluenceReceiveTimeout, IAutoReceivedMessage;

/// <summary>Asks any actor for its reference; it answers <see cref="ActorIdentity"/> automatically.</summary>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage;

/// <summary>The answer to <see cref="Identify"/>; <see cref="Subject"/> is null when nobody is there.</summary>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);

/// <summary>Status replies understood by Ask: a <see cref="Failure"/> faults the ask's task.</summary>
public static class Status
{
    public sealed record Success(object? Status);

    public sealed record Failure(Exception Cause, object? State = null);
}
