using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors.Event;

/// <summary>
/// System-wide publish/subscribe by event type: a subscriber to a type gets every published event
/// assignable to it. Subscriptions are copy-on-write, so publishing takes no lock; subscribers that
/// have stopped are dropped when met.
/// </summary>
public sealed class EventStream
{
    private (Type Channel, IActorRef Subscriber)[] _subscriptions = [];
    private readonly Lock _gate = new();

    /// <summary>Subscribes; false when the pair already exists.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            if (Array.Exists(_subscriptions, s => s.Channel == channel && s.Subscriber.Equals(subscriber)))
            {
                return false;
            }
            _subscriptions = [.. _subscriptions, (channel, subscriber)];
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type channel) =>
        Remove(s => s.Channel == channel && s.Subscriber.Equals(subscriber));

    public bool Unsubscribe(IActorRef subscriber) => Remove(s => s.Subscriber.Equals(subscriber));

    private bool Remove(Predicate<(Type Channel, IActorRef Subscriber)> match)
    {
        lock (_gate)
        {
            var kept = Array.FindAll(_subscriptions, s => !match(s));
            var removed = kept.Length != _subscriptions.Length;
            _subscriptions = kept;
            return removed;
        }
    }

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        var stale = false;
        foreach (var (channel, subscriber) in Volatile.Read(ref _subscriptions))
        {
            if (subscriber is InternalActorRef { IsTerminated: true })
            {
                stale = true;
                continue;
            }
            if (channel.IsAssignableFrom(type))
            {
                subscriber.Tell(@event, null);
            }
        }
        if (stale)
        {
            Remove(s => s.Subscriber is InternalActorRef { IsTerminated: true });
        }
    }
}
