using ActorRecorder.Actors.TestKit;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class TellAndAskSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task Tell_must_deliver_with_the_given_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("hello", TestActor);
        await ExpectMsgAsync("hello");
        Assert.Equal(echo, LastSender);
    }

    [Fact(Timeout = 10_000)]
    public async Task Forward_must_keep_the_original_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        forwarder.Tell("hi", TestActor);
        await ExpectMsgAsync("hi");
        Assert.Equal(echo, LastSender);
    }

    [Fact(Timeout = 10_000)]
    public async Task Sender_must_be_dead_letters_when_sent_with_no_sender()
    {
        var probe = CreateTestProbe();
        var reporter = Sys.ActorOf(Props.Create(() => new SenderReporter(probe.Ref)));
        reporter.Tell("x", ActorRefs.NoSender);
        var sender = await probe.ExpectMsgAsync<IActorRef>();
        Assert.Equal(Sys.DeadLetters, sender);
    }

    [Fact(Timeout = 10_000)]
    public async Task Ask_must_complete_with_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.Equal(42, await echo.Ask<int>(42, TimeSpan.FromSeconds(3)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Ask_must_fail_with_a_clear_AskTimeoutException_when_nobody_answers()
    {
        var silent = Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)), "silent");
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>("question", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("/user/silent", ex.Message);
        Assert.Contains("100 ms", ex.Message);
        Assert.Contains("System.String", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Ask_must_be_cancellable()
    {
        var silent = Sys.ActorOf(Props.Create(() => new Forwarder(ActorRefs.Nobody)));
        using var cts = new CancellationTokenSource();
        var ask = silent.Ask<string>("question", cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact(Timeout = 10_000)]
    public async Task Ask_must_fault_with_the_cause_of_a_Status_Failure_reply()
    {
        var failing = Sys.ActorOf(Props.Create(() => new FailureReplier()));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Ask<string>("q", TimeSpan.FromSeconds(3)));
        Assert.Equal("nope", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Ask_must_fail_with_InvalidCastException_for_a_reply_of_another_type()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var ex = await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("text", TimeSpan.FromSeconds(3)));
        Assert.Contains("Int32", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Messages_to_a_stopped_actor_must_go_to_dead_letters()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(echo);
        Sys.Stop(echo);
        await ExpectTerminatedAsync(echo);
        await EventFilter.DeadLetter<string>().ExpectAsync(() =>
        {
            echo.Tell("lost", TestActor);
            return Task.CompletedTask;
        });
    }

    [Fact(Timeout = 10_000)]
    public async Task Nobody_must_drop_messages_silently()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(Actors.Event.DeadLetter));
        ActorRefs.Nobody.Tell("ignored", TestActor);
        await deadLetters.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.True(ActorRefs.Nobody.IsNobody());
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private sealed class SenderReporter : ReceiveActor
    {
        public SenderReporter(IActorRef probe) => ReceiveAny(_ => probe.Tell(Sender));
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("nope"))));
    }
}
