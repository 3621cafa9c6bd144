using ActorRecorder.Actors.Event;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class ReceiveActorSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task Receive_must_pick_the_first_handler_whose_type_and_predicate_match()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Dispatcher()));
        actor.Tell("short", TestActor);
        actor.Tell("a much longer text", TestActor);
        actor.Tell(7, TestActor);
        actor.Tell(3.5, TestActor);
        await ExpectMsgAsync("short:short");
        await ExpectMsgAsync("long:a much longer text");
        await ExpectMsgAsync("int:7");
        await ExpectMsgAsync("any:3.5");
    }

    [Fact(Timeout = 10_000)]
    public async Task Unhandled_messages_must_be_published_to_the_EventStream()
    {
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener.Ref, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new OnlyStrings()));
        actor.Tell(42, TestActor);
        var unhandled = await listener.ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
    }

    [Fact(Timeout = 10_000)]
    public async Task Become_must_replace_the_behaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switcher()));
        actor.Tell("who", TestActor);
        await ExpectMsgAsync("A");
        actor.Tell("switch", TestActor);
        actor.Tell("who", TestActor);
        await ExpectMsgAsync("B");
        actor.Tell("switch", TestActor);
        actor.Tell("who", TestActor);
        await ExpectMsgAsync("A");
    }

    [Fact(Timeout = 10_000)]
    public async Task BecomeStacked_and_UnbecomeStacked_must_push_and_pop_behaviours()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Stacker()));
        actor.Tell("push", TestActor);
        actor.Tell("push", TestActor);
        actor.Tell("depth", TestActor);
        await ExpectMsgAsync(2);
        actor.Tell("pop", TestActor);
        actor.Tell("depth", TestActor);
        await ExpectMsgAsync(1);
        actor.Tell("pop", TestActor);
        actor.Tell("pop", TestActor); // popping at the bottom does nothing
        actor.Tell("depth", TestActor);
        await ExpectMsgAsync(0);
    }

    [Fact(Timeout = 10_000)]
    public async Task ReceiveAsync_must_hold_the_mailbox_until_the_task_completes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new AsyncWorker(gate.Task)));
        actor.Tell("slow", TestActor);
        actor.Tell("fast", TestActor);
        await ExpectMsgAsync("started slow");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        await ExpectMsgAsync("finished slow");
        await ExpectMsgAsync("started fast");
        await ExpectMsgAsync("finished fast");
    }

    [Fact(Timeout = 10_000)]
    public async Task ReceiveAsync_continuations_must_see_the_same_Sender_and_Self()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncWorker(Task.Delay(50))), "async-worker");
        actor.Tell("who", TestActor);
        await ExpectMsgAsync("started who");
        var reply = await ExpectMsgAsync<string>();
        Assert.Equal("finished who", reply);
        Assert.Equal(actor, LastSender);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_failing_async_handler_must_be_supervised_like_a_synchronous_one()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncWorker(Task.Delay(10))));
        await EventFilter.Exception<InvalidOperationException>("async boom").ExpectAsync(() =>
        {
            actor.Tell("throw", TestActor);
            return Task.CompletedTask;
        });
        await ExpectMsgAsync("started throw");
        actor.Tell("after", TestActor);
        await ExpectMsgAsync("started after");
    }

    [Fact(Timeout = 10_000)]
    public async Task Receive_outside_the_constructor_must_be_refused()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LateRegistrar()));
        actor.Tell("register", TestActor);
        var error = await ExpectMsgAsync<string>();
        Assert.Contains("constructor", error);
    }

    private sealed class Dispatcher : ReceiveActor
    {
        public Dispatcher()
        {
            Receive<string>(s => s.Length < 10, s => Sender.Tell($"short:{s}"));
            Receive<string>(s => Sender.Tell($"long:{s}"));
            Receive<int>(i => Sender.Tell($"int:{i}"));
            ReceiveAny(o => Sender.Tell($"any:{o}"));
        }
    }

    private sealed class OnlyStrings : ReceiveActor
    {
        public OnlyStrings() => Receive<string>(_ => { });
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher() => A();

        private void A()
        {
            Receive<string>(s => s == "who", _ => Sender.Tell("A"));
            Receive<string>(s => s == "switch", _ => Become(B));
        }

        private void B()
        {
            Receive<string>(s => s == "who", _ => Sender.Tell("B"));
            Receive<string>(s => s == "switch", _ => Become(A));
        }
    }

    private sealed class Stacker : ReceiveActor
    {
        private int _depth;

        public Stacker() => Configure();

        private void Configure()
        {
            Receive<string>(s => s == "push", _ =>
            {
                _depth++;
                BecomeStacked(Configure);
            });
            Receive<string>(s => s == "pop", _ =>
            {
                if (_depth > 0)
                {
                    _depth--;
                }
                UnbecomeStacked();
            });
            Receive<string>(s => s == "depth", _ => Sender.Tell(_depth));
        }
    }

    private sealed class AsyncWorker : ReceiveActor
    {
        public AsyncWorker(Task gate)
        {
            ReceiveAsync<string>(async s =>
            {
                Sender.Tell($"started {s}", Self);
                if (s == "slow" || s == "who")
                {
                    await gate;
                }
                else
                {
                    await Task.Yield();
                }
                if (s == "throw")
                {
                    throw new InvalidOperationException("async boom");
                }
                Sender.Tell($"finished {s}", Self);
            });
        }
    }

    private sealed class LateRegistrar : ReceiveActor
    {
        public LateRegistrar() => Receive<string>(_ =>
        {
            try
            {
                Receive<int>(_ => { });
            }
            catch (InvalidOperationException ex)
            {
                Sender.Tell(ex.Message);
            }
        });
    }
}
