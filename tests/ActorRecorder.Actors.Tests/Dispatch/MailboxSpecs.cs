using ActorRecorder.Actors.Event;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Dispatch;

public sealed class MailboxSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task System_messages_must_overtake_queued_user_messages()
    {
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new Counter(gate, TestActor)));
        Watch(actor);
        actor.Tell("first", TestActor);
        await ExpectMsgAsync("busy");
        for (var i = 0; i < 1000; i++)
        {
            actor.Tell(i, TestActor);
        }
        Sys.Stop(actor); // a system message, queued after 1,000 user messages
        gate.Set();
        await ExpectTerminatedAsync(actor);
        Assert.True(Counter.Processed < 1000, $"processed {Counter.Processed} user messages before stopping");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_bounded_mailbox_must_send_the_overflow_to_dead_letters()
    {
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new Counter(gate, TestActor)).WithBoundedMailbox(5));
        actor.Tell("first", TestActor);
        await ExpectMsgAsync("busy");
        await EventFilter.DeadLetter<int>(occurrences: 3).ExpectAsync(() =>
        {
            for (var i = 0; i < 8; i++)
            {
                actor.Tell(i, TestActor);
            }
            return Task.CompletedTask;
        });
        Assert.Equal(5, Sys.GetActorTree(actor.Path.ToStringWithoutAddress()).MailboxDepth);
        gate.Set();
    }

    [Fact(Timeout = 10_000)]
    public async Task Messages_from_one_sender_must_arrive_in_order()
    {
        var collector = Sys.ActorOf(Props.Create(() => new Collector(TestActor, 10_000)));
        for (var i = 0; i < 10_000; i++)
        {
            collector.Tell(i, null);
        }
        var sequence = await ExpectMsgAsync<List<int>>(timeout: TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 10_000), sequence);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_throughput_setting_must_limit_messages_per_turn_without_losing_any()
    {
        await using var system = ActorSystem.Create("throughput", new ActorSystemSettings { Throughput = 1 });
        var probe = new TaskCompletionSource<List<int>>();
        var collector = system.ActorOf(Props.Create(() => new Collector(ActorRefs.Nobody, 500, probe)));
        for (var i = 0; i < 500; i++)
        {
            collector.Tell(i, null);
        }
        Assert.Equal(Enumerable.Range(0, 500), await probe.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_message_racing_a_stop_must_be_processed_or_dead_lettered_exactly_once()
    {
        const int Producers = 4;
        const int PerProducer = 50_000;
        var counter = Sys.ActorOf(Props.Create(() => new DeadLetterCounter()));
        Sys.EventStream.Subscribe(counter, typeof(DeadLetter));
        var processed = 0;
        var target = Sys.ActorOf(Props.Create(() => new Tally(() => Interlocked.Increment(ref processed))));
        Watch(target);
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < PerProducer; i++)
            {
                target.Tell(i, null);
                if (p == 0 && i == PerProducer / 4)
                {
                    Sys.Stop(target);
                }
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await ExpectTerminatedAsync(target, TimeSpan.FromSeconds(10));
        // Every dead letter was told to the counter before the producers finished or the target's Terminated
        // was sent, so this question is queued behind all of them.
        var deadLetters = await counter.Ask<int>("count", TimeSpan.FromSeconds(20));
        Assert.Equal(Producers * PerProducer, Volatile.Read(ref processed) + deadLetters);
        Assert.True(deadLetters > 0, "the stop came before the last message");
    }

    private sealed class Tally : ReceiveActor
    {
        public Tally(Action count) => Receive<int>(_ => count());
    }

    private sealed class DeadLetterCounter : ReceiveActor
    {
        private int _count;

        public DeadLetterCounter()
        {
            Receive<DeadLetter>(d => d.Message is int, _ => _count++);
            Receive<DeadLetter>(_ => { });
            Receive<string>(_ => Sender.Tell(_count));
        }
    }

    private sealed class Counter : ReceiveActor
    {
        public static int Processed;

        public Counter(ManualResetEventSlim gate, IActorRef probe)
        {
            Processed = 0;
            Receive<string>(_ =>
            {
                probe.Tell("busy");
                gate.Wait(TimeSpan.FromSeconds(5));
            });
            Receive<int>(_ => Interlocked.Increment(ref Processed));
        }
    }

    private sealed class Collector : ReceiveActor
    {
        private readonly List<int> _seen = [];

        public Collector(IActorRef probe, int expected, TaskCompletionSource<List<int>>? done = null) =>
            Receive<int>(i =>
            {
                _seen.Add(i);
                if (_seen.Count == expected)
                {
                    probe.Tell(_seen);
                    done?.TrySetResult(_seen);
                }
            });
    }
}
