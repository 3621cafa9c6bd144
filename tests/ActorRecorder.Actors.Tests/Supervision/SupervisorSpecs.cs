using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Supervision;

public sealed class SupervisorSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private async Task<IActorRef> ChildOf(IActorRef parent, Props props, string name) =>
        await parent.Ask<IActorRef>((props, name), TimeSpan.FromSeconds(3));

    private IActorRef ParentWith(Func<Exception, Directive> decider, bool allForOne = false, int retries = -1, TimeSpan? within = null)
    {
        SupervisorStrategy strategy = allForOne
            ? new AllForOneStrategy(retries, within ?? Timeout.InfiniteTimeSpan, decider)
            : new OneForOneStrategy(retries, within ?? Timeout.InfiniteTimeSpan, decider);
        return Sys.ActorOf(Props.Create(() => new Parent(strategy)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Supervisor_must_resume_a_child_and_keep_its_state()
    {
        var parent = ParentWith(_ => Directive.Resume);
        var child = await ChildOf(parent, Props.Create(() => new LifecycleActor(TestActor)), "c");
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("preStart");
        child.Tell(3, TestActor);
        await EventFilter.Warning("boom").ExpectAsync(() =>
        {
            child.Tell("fail", TestActor);
            return Task.CompletedTask;
        });
        child.Tell("state", TestActor);
        await ExpectMsgAsync(3);
    }

    [Fact(Timeout = 10_000)]
    public async Task Supervisor_must_restart_child_and_keep_its_mailbox()
    {
        var parent = ParentWith(_ => Directive.Restart);
        var child = await ChildOf(parent, Props.Create(() => new LifecycleActor(TestActor)), "c");
        await ExpectMsgAsync("constructed");
        await ExpectMsgAsync("preStart");
        child.Tell(3, TestActor);
        child.Tell("fail", TestActor);
        child.Tell("state", TestActor);
        await FishForMessageAsync(m => m is "preStart");
        await ExpectMsgAsync(0);
    }

    [Fact(Timeout = 10_000)]
    public async Task Supervisor_must_stop_a_child_when_the_decider_says_stop()
    {
        var parent = ParentWith(_ => Directive.Stop);
        var child = await ChildOf(parent, Props.Create(() => new Thrower(TestActor)), "c");
        Watch(child);
        child.Tell(new InvalidOperationException("stop me"), TestActor);
        child.Tell("never processed", TestActor);
        await ExpectTerminatedAsync(child);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact(Timeout = 10_000)]
    public async Task Supervisor_must_escalate_to_its_own_parent()
    {
        var grandparent = ParentWith(_ => Directive.Restart);
        var parent = await ChildOf(grandparent,
            Props.Create(() => new Parent(new OneForOneStrategy(_ => Directive.Escalate))), "middle");
        var child = await ChildOf(parent, Props.Create(() => new Thrower(TestActor)), "leaf");
        Watch(child);
        child.Tell(new InvalidOperationException("escalated"), TestActor);
        // The middle actor restarts; its default PreRestart stops the leaf.
        await ExpectTerminatedAsync(child);
        await AwaitAssertAsync(() => Assert.Equal(1, Sys.GetActorTree(parent.Path.ToStringWithoutAddress()).RestartCount));
    }

    [Fact(Timeout = 10_000)]
    public async Task AllForOne_must_restart_every_sibling()
    {
        var parent = ParentWith(_ => Directive.Restart, allForOne: true);
        var first = await ChildOf(parent, Props.Create(() => new LifecycleActor(TestActor)), "first");
        var second = await ChildOf(parent, Props.Create(() => new LifecycleActor(TestActor)), "second");
        await ReceiveNAsync(4); // constructed + preStart, twice
        second.Tell(5, TestActor);
        first.Tell("fail", TestActor);
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(1, Sys.GetActorTree(first.Path.ToStringWithoutAddress()).RestartCount);
            Assert.Equal(1, Sys.GetActorTree(second.Path.ToStringWithoutAddress()).RestartCount);
        });
        second.Tell("state", TestActor);
        await FishForMessageAsync(m => m is int);
    }

    [Fact(Timeout = 10_000)]
    public async Task Supervisor_must_stop_a_child_that_exceeds_maxNrOfRetries_within_the_time_range()
    {
        var parent = ParentWith(_ => Directive.Restart, retries: 2, within: TimeSpan.FromMinutes(1));
        var child = await ChildOf(parent, Props.Create(() => new Thrower(TestActor)), "flaky");
        Watch(child);
        for (var i = 0; i < 3; i++)
        {
            child.Tell(new InvalidOperationException($"failure {i}"), TestActor);
            child.Tell($"alive {i}", TestActor);
        }
        await ExpectMsgAsync("alive 0");
        await ExpectMsgAsync("alive 1");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public void The_default_decider_must_stop_on_initialization_kill_and_death_pact_and_restart_otherwise()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException(null, "x", null)));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException("x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new DeathPactException(ActorRefs.Nobody)));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new IOException("disk")));
    }

    [Fact(Timeout = 10_000)]
    public async Task Props_WithSupervisorStrategy_must_override_the_actors_own_strategy()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(SupervisorStrategy.DefaultStrategy))
            .WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy));
        var child = await ChildOf(parent, Props.Create(() => new Thrower(TestActor)), "c");
        Watch(child);
        child.Tell(new InvalidOperationException("would restart"), TestActor);
        await ExpectTerminatedAsync(child);
    }
}
