using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class LifecycleSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task An_actor_must_run_PreStart_before_its_first_message_and_PostStop_after_it_stops()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        actor.Tell("hello", TestActor);
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("preStart");
        Assert.StartsWith("hello:", await ExpectMsgAsync<string>());
        Sys.Stop(actor);
        await ExpectMsgAsync("postStop");
    }

    [Fact(Timeout = 10_000)]
    public async Task Restart_must_run_the_constructor_again_keep_the_path_and_drop_the_failing_message()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "restartable");
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("preStart");
        actor.Tell(5, TestActor);
        actor.Tell("fail", TestActor);
        actor.Tell("after", TestActor);
        await ExpectMsgAsync("preRestart:boom:fail");
        await ExpectMsgAsync("postStop");
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("postRestart:boom");
        await ExpectMsgAsync("preStart");
        var after = await ExpectMsgAsync<string>();
        Assert.StartsWith("after:", after);
        Assert.Equal(actor, LastSender);
        Assert.Equal("/user/restartable", actor.Path.ToStringWithoutAddress());
        actor.Tell("state", TestActor);
        await ExpectMsgAsync(0); // fresh instance: state was reset; "fail" was not redelivered
    }

    [Fact(Timeout = 10_000)]
    public async Task Restart_must_keep_the_messages_queued_in_the_mailbox()
    {
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new GatedFailer(gate, TestActor)));
        actor.Tell("block", TestActor);
        actor.Tell("fail", TestActor);
        for (var i = 0; i < 5; i++)
        {
            actor.Tell(i, TestActor);
        }
        gate.Set();
        var received = await ReceiveNAsync(5);
        Assert.Equal([0, 1, 2, 3, 4], received.Cast<int>());
    }

    [Fact(Timeout = 10_000)]
    public async Task PoisonPill_must_stop_the_actor_after_the_messages_before_it()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        actor.Tell("one", TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);
        actor.Tell("two", TestActor);
        await ExpectMsgAsync("one");
        await ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact(Timeout = 10_000)]
    public async Task Kill_must_fail_the_actor_with_ActorKilledException_and_the_default_decider_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        await EventFilter.Exception<ActorKilledException>().ExpectAsync(() =>
        {
            actor.Tell(Kill.Instance, TestActor);
            return Task.CompletedTask;
        });
        await ExpectTerminatedAsync(actor);
    }

    [Fact(Timeout = 10_000)]
    public async Task GracefulStop_must_complete_with_true_once_the_actor_has_stopped()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("preStart");
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(3)));
        await ExpectMsgAsync("postStop");
    }

    [Fact(Timeout = 10_000)]
    public async Task GracefulStop_must_complete_with_false_when_the_actor_does_not_stop_in_time()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.False(await actor.GracefulStop(TimeSpan.FromMilliseconds(200), "not a stop message"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Stopping_a_parent_must_stop_its_children_first()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(SupervisorStrategy.DefaultStrategy)), "parent");
        var child = await parent.Ask<IActorRef>((Props.Create(() => new Reporter(TestActor, "child")), "child"), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("child created");
        var grandchildProps = Props.Create(() => new Reporter(TestActor, "grandchild"));
        child.Tell(grandchildProps, TestActor);
        await ExpectMsgAsync("grandchild created");
        Sys.Stop(parent);
        await ExpectMsgAsync("grandchild stopped");
        await ExpectMsgAsync("child stopped");
    }

    [Fact(Timeout = 10_000)]
    public async Task Terminate_must_stop_every_actor_and_complete_WhenTerminated()
    {
        Sys.ActorOf(Props.Create(() => new Reporter(TestActor, "top")), "top");
        await ExpectMsgAsync("top created");
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        await ExpectMsgAsync("top stopped");
        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_actor_failing_in_its_constructor_must_be_stopped_by_the_default_decider()
    {
        IActorRef? actor = null;
        await EventFilter.Exception<ActorInitializationException>().ExpectAsync(() =>
        {
            actor = Sys.ActorOf(Props.Create(() => new FailingConstructor()));
            Watch(actor);
            return Task.CompletedTask;
        });
        await ExpectTerminatedAsync(actor!);
    }

    [Fact]
    public void Creating_an_actor_with_new_must_be_refused()
    {
        var ex = Assert.Throws<ActorInitializationException>(() => new EchoActor());
        Assert.Contains("ActorOf", ex.Message);
    }

    private sealed class GatedFailer : ReceiveActor
    {
        public GatedFailer(ManualResetEventSlim gate, IActorRef probe)
        {
            Receive<string>(s => s == "block", _ => gate.Wait(TimeSpan.FromSeconds(5)));
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("planned"));
            Receive<int>(i => probe.Tell(i));
        }

        protected override void PostRestart(Exception reason) { }
    }

    private sealed class Reporter : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly string _name;

        public Reporter(IActorRef probe, string name)
        {
            _probe = probe;
            _name = name;
            Receive<Props>(p =>
            {
                Context.ActorOf(p, "sub");
            });
        }

        protected override void PreStart() => _probe.Tell($"{_name} created");

        protected override void PostStop() => _probe.Tell($"{_name} stopped");
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor() => throw new InvalidOperationException("cannot construct");
    }
}
