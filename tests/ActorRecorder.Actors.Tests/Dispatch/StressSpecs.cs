using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Dispatch;

public sealed class StressSpecs : TestKit.TestKit
{
    private readonly ITestOutputHelper _output;

    public StressSpecs(ITestOutputHelper output) : base(output) => _output = output;

    private const int Actors = 10_000;
    private const int Targets = 10;
    private const int PerTarget = 10;
    private const int Total = Actors * Targets * PerTarget;

    [Fact(Timeout = 120_000)]
    public async Task Ten_thousand_actors_exchanging_a_million_messages_must_lose_and_reorder_none()
    {
        var run = new Run();
        var actors = new IActorRef[Actors];
        for (var i = 0; i < Actors; i++)
        {
            var id = i;
            actors[i] = Sys.ActorOf(Props.Create(() => new Peer(id, run)));
        }
        foreach (var actor in actors)
        {
            actor.Tell(actors, null);
        }
        await run.Done.Task.WaitAsync(TimeSpan.FromSeconds(100));
        _output.WriteLine($"delivered {run.Delivered} messages");
        Assert.Empty(run.Errors);
        Assert.Equal(Total, run.Delivered);
        await AwaitConditionAsync(() => run.Complete == Actors, message: "every actor to have all its messages");
    }

    private sealed class Run
    {
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly ConcurrentQueue<string> Errors = new();
        public int Delivered;
        public int Complete;
    }

    private sealed record Msg(int From, int Seq);

    /// <summary>Sends 10 numbered messages to each of 10 peers, interleaved, and checks what it receives per sender.</summary>
    private sealed class Peer : ReceiveActor
    {
        private readonly Dictionary<int, int> _lastSeq = [];
        private int _received;

        public Peer(int id, Run run)
        {
            Receive<IActorRef[]>(all =>
            {
                for (var seq = 0; seq < PerTarget; seq++)
                {
                    for (var t = 1; t <= Targets; t++)
                    {
                        all[(id + t * 997) % Actors].Tell(new Msg(id, seq), Self);
                    }
                }
            });
            Receive<Msg>(m =>
            {
                var expected = _lastSeq.GetValueOrDefault(m.From, -1) + 1;
                if (m.Seq != expected)
                {
                    run.Errors.Enqueue($"{id} got seq {m.Seq} from {m.From}, expected {expected}");
                }
                _lastSeq[m.From] = m.Seq;
                if (++_received == Targets * PerTarget)
                {
                    Interlocked.Increment(ref run.Complete);
                }
                if (Interlocked.Increment(ref run.Delivered) == Total)
                {
                    run.Done.TrySetResult();
                }
            });
        }
    }
}
