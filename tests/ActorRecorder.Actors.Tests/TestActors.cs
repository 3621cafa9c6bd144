namespace ActorRecorder.Actors.Tests;

/// <summary>Replies to every message with the message itself.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Reports its lifecycle hooks to a probe; "fail" throws, anything else is echoed with its incarnation.</summary>
public sealed class LifecycleActor : ReceiveActor
{
    private static int s_incarnations;
    private readonly IActorRef _probe;
    private readonly int _incarnation = Interlocked.Increment(ref s_incarnations);
    private int _state;

    public LifecycleActor(IActorRef probe)
    {
        _probe = probe;
        _probe.Tell("constructed");
        Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("boom"));
        Receive<string>(m => m == "state", _ => Sender.Tell(_state));
        Receive<string>(m => m == "incarnation", _ => Sender.Tell(_incarnation));
        Receive<int>(n => _state += n);
        Receive<string>(m => Sender.Tell($"{m}:{_incarnation}"));
    }

    protected override void PreStart() => _probe.Tell("preStart");

    protected override void PostStop() => _probe.Tell("postStop");

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"preRestart:{reason.Message}:{message}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell($"postRestart:{reason.Message}");
        base.PostRestart(reason);
    }
}

/// <summary>Creates children on request and supervises them with a given strategy.</summary>
public sealed class Parent : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Parent(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<(Props Props, string Name)>(req => Sender.Tell(Context.ActorOf(req.Props, req.Name)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>Throws the exception it is sent.</summary>
public sealed class Thrower : ReceiveActor
{
    public Thrower(IActorRef probe)
    {
        Receive<Exception>(ex => throw ex);
        ReceiveAny(m => probe.Tell(m));
    }

    protected override void PreStart() => Context.System.EventStream.Publish(new Started(Self));

    protected override void PostRestart(Exception reason) { }

    public sealed record Started(IActorRef Actor);
}
