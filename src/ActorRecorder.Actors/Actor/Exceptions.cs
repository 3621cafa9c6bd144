namespace ActorRecorder.Actors;

/// <summary>Base of the kernel's own exceptions.</summary>
public class ActorException : Exception
{
    public ActorException(string message) : base(message) { }

    public ActorException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The actor's constructor or PreStart failed; the default decider stops such an actor.</summary>
public sealed class ActorInitializationException : ActorException
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? inner)
        : base(message, inner) => Actor = actor;

    public IActorRef? Actor { get; }
}

/// <summary>The actor received <see cref="Kill"/>; the default decider stops it.</summary>
public sealed class ActorKilledException : ActorException
{
    public ActorKilledException(string message) : base(message) { }
}

/// <summary>A watched actor stopped and the watcher did not handle <see cref="Terminated"/>.</summary>
public sealed class DeathPactException : ActorException
{
    public DeathPactException(IActorRef deadActor)
        : base($"Monitored actor [{deadActor.Path}] terminated and the Terminated message was not handled") =>
        DeadActor = deadActor;

    public IActorRef DeadActor { get; }
}

/// <summary>An actor name is empty, reserved, badly formed or already taken among its siblings.</summary>
public sealed class InvalidActorNameException : ActorException
{
    public InvalidActorNameException(string message) : base(message) { }
}

/// <summary>An operation was used in a state that does not allow it (e.g. stashing the same message twice).</summary>
public sealed class IllegalActorStateException : ActorException
{
    public IllegalActorStateException(string message) : base(message) { }
}

/// <summary>An Ask got no answer within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException(string message) : base(message) { }
}

/// <summary>An <see cref="ActorSelection"/> matched no actor.</summary>
public sealed class ActorNotFoundException : ActorException
{
    public ActorNotFoundException(string message) : base(message) { }
}
