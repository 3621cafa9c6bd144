namespace ActorRecorder.Actors;

/// <summary>
/// An immutable recipe for creating an actor: a factory (run again on every restart), an optional
/// supervisor strategy for the actor's children and an optional mailbox bound.
/// </summary>
public sealed class Props
{
    private Props(Func<ActorBase> factory, Type actorType, SupervisorStrategy? strategy, int? mailboxCapacity)
    {
        Factory = factory;
        ActorType = actorType;
        SupervisorStrategy = strategy;
        MailboxCapacity = mailboxCapacity;
    }

    internal Func<ActorBase> Factory { get; }

    /// <summary>The type the factory declares it produces.</summary>
    public Type ActorType { get; }

    /// <summary>Overrides the actor's own <c>SupervisorStrategy()</c> when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>When set, the mailbox holds at most this many user messages; the rest go to dead letters.</summary>
    public int? MailboxCapacity { get; }

    /// <summary>Props whose factory is <paramref name="factory"/>, called once per incarnation.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new(factory, typeof(TActor), null, null);

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(static () => new TActor(), typeof(TActor), null, null);

    public Props WithSupervisorStrategy(SupervisorStrategy strategy) =>
        new(Factory, ActorType, strategy, MailboxCapacity);

    /// <summary>A bounded mailbox: past <paramref name="capacity"/> queued messages, new ones go to dead letters.</summary>
    public Props WithBoundedMailbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new Props(Factory, ActorType, SupervisorStrategy, capacity);
    }

    public override string ToString() => $"Props({ActorType.Name})";
}
