namespace ActorRecorder.Actors.Internal;

/// <summary>The root: when /user stops (Terminate, or a failure escalated to it) it stops /system and then itself.</summary>
internal sealed class RootGuardian : ActorBase
{
    protected override void PreStart() => Context.Watch(Context.Child("user"));

    protected internal override bool Receive(object message)
    {
        if (message is Terminated terminated && terminated.ActorRef.Path.Name == "user")
        {
            Context.Stop(Self);
            return true;
        }
        return false;
    }

    protected override SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.StoppingStrategy;
}

/// <summary>/user and /system: parents of the top-level actors.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected internal override bool Receive(object message) => false;
}
