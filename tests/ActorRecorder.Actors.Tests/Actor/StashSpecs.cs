using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class StashSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task Stash_must_hold_messages_until_UnstashAll_and_keep_their_order_and_sender()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Opener()));
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("open", TestActor);
        actor.Tell(3, TestActor);
        Assert.Equal([1, 2, 3], (await ReceiveNAsync(3)).Cast<int>());
        Assert.Equal(actor, LastSender);
    }

    [Fact(Timeout = 10_000)]
    public async Task Unstash_must_put_back_only_the_oldest_message()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Opener()));
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("one", TestActor);
        await ExpectMsgAsync(1);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact(Timeout = 10_000)]
    public async Task Stashing_the_same_message_twice_must_fail()
    {
        var actor = Sys.ActorOf(Props.Create(() => new DoubleStasher()));
        actor.Tell("x", TestActor);
        Assert.Contains("more than once", await ExpectMsgAsync<string>());
    }

    [Fact(Timeout = 10_000)]
    public async Task A_restart_must_return_stashed_messages_to_the_mailbox()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Opener()));
        actor.Tell(1, TestActor);
        actor.Tell("crash", TestActor);
        actor.Tell("open", TestActor);
        await ExpectMsgAsync(1);
    }

    private sealed class Opener : ReceiveActor, IWithStash
    {
        public Opener()
        {
            Receive<int>(_ => Stash.Stash());
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() => Receive<int>(i => Sender.Tell(i, Self)));
            });
            Receive<string>(s => s == "one", _ =>
            {
                Stash.Unstash();
                Become(() => Receive<int>(i => Sender.Tell(i, Self)));
            });
            Receive<string>(s => s == "crash", _ => throw new InvalidOperationException("crash"));
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class DoubleStasher : ReceiveActor, IWithStash
    {
        public DoubleStasher() => Receive<string>(_ =>
        {
            Stash.Stash();
            try
            {
                Stash.Stash();
            }
            catch (IllegalActorStateException ex)
            {
                Sender.Tell(ex.Message);
            }
        });

        public IStash Stash { get; set; } = null!;
    }
}
