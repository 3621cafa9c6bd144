using ActorRecorder.Actors.Event;
using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// The base of every actor. An instance is created by its <see cref="Props"/> factory inside
/// <c>ActorOf</c> (never with <c>new</c> elsewhere) and again on every restart.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Constructing ?? throw new ActorInitializationException(null,
            $"{GetType().Name} must be created by ActorOf(Props), not with 'new'", null);
    }

    /// <summary>This actor's context: self, sender, children, watch, stop, timers of the system.</summary>
    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being processed (dead letters when it had none).</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>Handles a message; false means unhandled.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>
    /// Called for messages no handler took. A <see cref="Terminated"/> nobody handles fails the actor
    /// with <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }
        _cell.System.EventStream.Publish(new UnhandledMessage(message, _cell.CurrentSenderOrNull, Self));
    }

    /// <summary>Runs after the actor is created and before its first message.</summary>
    protected virtual void PreStart() { }

    /// <summary>Runs after the actor stopped (its children have stopped before).</summary>
    protected virtual void PostStop() { }

    /// <summary>Runs on the failed instance before a restart. Default: stop (and unwatch) every child, then PostStop.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart. Default: PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children; <see cref="Props.WithSupervisorStrategy"/> overrides it.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    internal virtual void OnConstructed() { }

    internal bool AroundReceive(object message)
    {
        if (Receive(message))
        {
            return true;
        }
        Unhandled(message);
        return false;
    }

    internal void AroundPreStart() => PreStart();

    // Virtual so that ActorRecorder.Persistence can return its internal stash to the mailbox first (as Akka's Eventsourced does).
    internal virtual void AroundPostStop() => PostStop();

    internal virtual void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy SupervisorStrategyInternal() => SupervisorStrategy();
}
