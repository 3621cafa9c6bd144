using ActorRecorder.Actors.Pattern;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Pattern;

public sealed class BackoffSupervisorSpecs(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    private async Task<IActorRef> CurrentChild(IActorRef supervisor)
    {
        IActorRef? child = null;
        await AwaitConditionAsync(() =>
        {
            child = supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(1))
                .GetAwaiter().GetResult().Ref;
            return child is not null;
        }, message: "the supervisor's child to be running");
        return child!;
    }

    [Fact(Timeout = 15_000)]
    public async Task OnFailure_must_start_the_child_again_after_the_minimum_backoff_and_forward_messages()
    {
        var options = Backoff.OnFailure(Props.Create(() => new Thrower(TestActor)), "worker",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0);
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options), "backoff");
        supervisor.Tell("hello", TestActor);
        await ExpectMsgAsync("hello");
        var first = await CurrentChild(supervisor);
        Watch(first);
        supervisor.Tell(new InvalidOperationException("crash"), TestActor);
        await ExpectTerminatedAsync(first);
        await AwaitConditionAsync(() => VirtualTime!.PendingTimers > 0, message: "the restart timer");
        Advance(TimeSpan.FromMilliseconds(900));
        Assert.Null((await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance)).Ref);
        Advance(TimeSpan.FromMilliseconds(100));
        var second = await CurrentChild(supervisor);
        Assert.NotEqual(first, second);
        Assert.Equal("/user/backoff/worker", second.Path.ToStringWithoutAddress());
        Assert.Equal(1, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance)).Count);
    }

    [Fact(Timeout = 15_000)]
    public async Task The_backoff_must_grow_exponentially_up_to_the_maximum()
    {
        var options = Backoff.OnFailure(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0);
        Assert.Equal(TimeSpan.FromSeconds(1), options.DelayFor(0, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), options.DelayFor(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), options.DelayFor(2, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), options.DelayFor(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(5), options.DelayFor(100, 0.5));
        var jittered = Backoff.OnStop(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0.2);
        Assert.Equal(TimeSpan.FromSeconds(1.2), jittered.DelayFor(0, 1.0));
        await Task.CompletedTask;
    }

    [Fact(Timeout = 15_000)]
    public async Task OnStop_must_start_the_child_again_when_it_stops_and_give_up_after_max_retries()
    {
        var options = Backoff.OnStop(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0)
            .WithMaxNrOfRetries(1);
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        Watch(supervisor);
        var first = await CurrentChild(supervisor);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(first);
        await AwaitConditionAsync(() => VirtualTime!.PendingTimers > 0, message: "the restart timer");
        Advance(TimeSpan.FromSeconds(1));
        var second = await CurrentChild(supervisor);
        Watch(second);
        second.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(second);
        await ExpectTerminatedAsync(supervisor);
    }

    [Fact(Timeout = 15_000)]
    public async Task The_restart_count_must_reset_after_the_child_ran_for_the_reset_period()
    {
        var options = Backoff.OnFailure(Props.Create(() => new Thrower(TestActor)), "w",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0).WithAutoReset(TimeSpan.FromSeconds(10));
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        var first = await CurrentChild(supervisor);
        Watch(first);
        supervisor.Tell(new InvalidOperationException("crash"), TestActor);
        await ExpectTerminatedAsync(first);
        await AwaitConditionAsync(() => VirtualTime!.PendingTimers > 0, message: "the restart timer");
        Advance(TimeSpan.FromSeconds(1));
        await CurrentChild(supervisor);
        Assert.Equal(1, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance)).Count);
        await AwaitConditionAsync(() => VirtualTime!.PendingTimers > 0, message: "the reset timer");
        Advance(TimeSpan.FromSeconds(10));
        await AwaitAssertAsync(() => Assert.Equal(0,
            supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance).GetAwaiter().GetResult().Count));
        await ExpectNoMsgAsync(Short);
    }
}
