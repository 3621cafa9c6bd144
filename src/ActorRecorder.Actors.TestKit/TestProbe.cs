namespace ActorRecorder.Actors.TestKit;

/// <summary>A test actor of its own, sharing the kit's system: hand <see cref="Ref"/> to the actors under test.</summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, string name) : base(system, name) { }

    public IActorRef Ref => TestActor;

    /// <summary>Sends <paramref name="message"/> to the probe itself, as from <paramref name="sender"/>.</summary>
    public void Tell(object message, IActorRef? sender = null) => Ref.Tell(message, sender);
}
