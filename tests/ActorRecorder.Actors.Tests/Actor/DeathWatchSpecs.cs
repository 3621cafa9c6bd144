using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class DeathWatchSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task DeathWatch_must_notify_with_one_Terminated_message_when_actor_is_stopped()
    {
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        watcher.Tell(target, TestActor);
        watcher.Tell(target, TestActor); // watching twice still gives one Terminated
        await ExpectMsgAsync("watching");
        await ExpectMsgAsync("watching");
        Sys.Stop(target);
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal(target, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact(Timeout = 10_000)]
    public async Task DeathWatch_must_notify_at_once_for_an_actor_that_is_already_dead()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(target);
        Sys.Stop(target);
        await ExpectTerminatedAsync(target);
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        watcher.Tell(target, TestActor);
        await ExpectMsgAsync("watching");
        Assert.Equal(target, (await ExpectMsgAsync<Terminated>()).ActorRef);
    }

    [Fact(Timeout = 10_000)]
    public async Task DeathWatch_must_not_deliver_Terminated_after_Unwatch()
    {
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)));
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        watcher.Tell(target, TestActor);
        await ExpectMsgAsync("watching");
        watcher.Tell(("unwatch", target), TestActor);
        await ExpectMsgAsync("unwatched");
        Sys.Stop(target);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact(Timeout = 10_000)]
    public async Task DeathWatch_must_drop_a_Terminated_already_queued_when_Unwatch_comes_first()
    {
        var gate = new ManualResetEventSlim();
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor, gate)));
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        watcher.Tell(target, TestActor);
        await ExpectMsgAsync("watching");
        watcher.Tell("block", TestActor);
        await ExpectMsgAsync("blocked");
        // While the watcher is busy the target dies: its Terminated is queued behind "unwatch".
        Watch(target);
        watcher.Tell(("unwatch", target), TestActor);
        Sys.Stop(target);
        await ExpectTerminatedAsync(target);
        gate.Set();
        await ExpectMsgAsync("unwatched");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_unhandled_Terminated_must_fail_the_watcher_with_DeathPactException()
    {
        var watcher = Sys.ActorOf(Props.Create(() => new IgnoringWatcher()));
        Watch(watcher);
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        await EventFilter.Exception<DeathPactException>().ExpectAsync(() =>
        {
            watcher.Tell(target, TestActor);
            Sys.Stop(target);
            return Task.CompletedTask;
        });
        await ExpectTerminatedAsync(watcher);
    }

    [Fact(Timeout = 10_000)]
    public async Task Watching_Nobody_must_deliver_Terminated_without_confirmed_existence()
    {
        Watch(ActorRefs.Nobody);
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.False(terminated.ExistenceConfirmed);
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe, ManualResetEventSlim? gate = null)
        {
            Receive<IActorRef>(target =>
            {
                Context.Watch(target);
                probe.Tell("watching");
            });
            Receive<(string, IActorRef)>(cmd =>
            {
                Context.Unwatch(cmd.Item2);
                probe.Tell("unwatched");
            });
            Receive<string>(s => s == "block", _ =>
            {
                probe.Tell("blocked");
                gate?.Wait(TimeSpan.FromSeconds(5));
            });
            Receive<Terminated>(t => probe.Tell(t));
        }
    }

    private sealed class IgnoringWatcher : ReceiveActor
    {
        public IgnoringWatcher() => Receive<IActorRef>(target => Context.Watch(target));
    }
}
