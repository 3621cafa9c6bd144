using System.Collections.Immutable;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// The outcome of one input: the events to persist (in order), the effects to run once they are persisted,
/// and the state after both (the persisted part is the fold of the events, so a replay arrives at it too).
/// </summary>
public sealed record Decision(ChannelState State, ImmutableList<IChannelEvent> Events, ImmutableList<ChannelEffect> Effects);

/// <summary>Collects a decision: each emitted event is applied at once, so later rules see its effect.</summary>
internal sealed class DecisionBuilder(ChannelState state, DateTimeOffset now)
{
    private readonly ImmutableList<IChannelEvent>.Builder _events = ImmutableList.CreateBuilder<IChannelEvent>();
    private readonly ImmutableList<ChannelEffect>.Builder _effects = ImmutableList.CreateBuilder<ChannelEffect>();

    public ChannelState State { get; private set; } = state;

    public DateTimeOffset Now { get; } = now;

    public PersistedState P => State.Persisted;

    public RuntimeState R => State.Runtime;

    public ChannelSettings? Settings => State.Runtime.Settings;

    public string ChannelId => State.ChannelId;

    public void Emit(IChannelEvent @event)
    {
        _events.Add(@event);
        State = State with { Persisted = State.Persisted.Apply(@event) };
    }

    public void Do(ChannelEffect effect) => _effects.Add(effect);

    /// <summary>The events emitted so far, in order.</summary>
    public IReadOnlyList<IChannelEvent> Emitted => _events;

    public void Set(Func<RuntimeState, RuntimeState> change) => State = State with { Runtime = change(State.Runtime) };

    /// <summary>Delivery's slice of the runtime state.</summary>
    public Delivery.DeliveryRuntime Delivery => State.Runtime.Delivery;

    public void SetDelivery(Func<Delivery.DeliveryRuntime, Delivery.DeliveryRuntime> change) =>
        State = State with { Runtime = State.Runtime with { Delivery = change(State.Runtime.Delivery) } };

    public Decision Build() => new(State, _events.ToImmutable(), _effects.ToImmutable());
}
