using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors;

/// <summary>Creates actors: the system (top-level actors under /user) and every actor's context (children).</summary>
public interface IActorRefFactory
{
    /// <summary>Creates an actor asynchronously and returns its reference at once; messages sent meanwhile are queued.</summary>
    /// <exception cref="InvalidActorNameException">The name is badly formed or already taken.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Selects actors by absolute (<c>/user/a/b</c>) or relative (<c>../b</c>, <c>child/*</c>) path.</summary>
    ActorSelection ActorSelection(string path);
}

/// <summary>What an actor can see and do about itself while it processes a message.</summary>
public interface IActorContext : IActorRefFactory
{
    IActorRef Self { get; }

    /// <summary>The sender of the current message; dead letters when it had none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    Props Props { get; }

    ActorSystem System { get; }

    IEnumerable<IActorRef> Children { get; }

    /// <summary>The child of that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Stops a child (or this actor itself): its children stop first, then PostStop runs.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops, at once if it already has.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; a <see cref="Terminated"/> not yet processed is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Sends <see cref="Actors.ReceiveTimeout"/> after this long without a message; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }

    /// <summary>A logger whose entries also go to the EventStream as <see cref="Event.LogEvent"/>.</summary>
    ILogger GetLogger();
}
