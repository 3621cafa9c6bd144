using System.Diagnostics;
using System.Threading.Channels;
using ActorRecorder.Actors;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The kernel's figures, each next to a baseline run in the same process: tell throughput against a
/// raw System.Threading.Channels producer/consumer, memory per idle actor, spawn rate, ask latency.
/// </summary>
internal static class KernelBenchmark
{
    private static readonly object Message = new();
    private const int Window = 1000;

    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var pairs = Environment.ProcessorCount * 4;
        var perPair = quick ? 200_000 : 2_000_000;
        var rounds = quick ? 2 : 5;
        Report.Note($"{Environment.ProcessorCount} cores, {pairs} pairs x {perPair:N0} messages in windows of {Window}, best of {rounds} rounds after a warm-up");

        // One uncounted round first: tiered JIT and the thread pool settle during it.
        await ChannelThroughput(pairs, perPair / 4);
        await TellThroughput(pairs, perPair / 4);
        double bestChannel = 0, bestTell = 0;
        for (var round = 0; round < rounds; round++)
        {
            var channel = await ChannelThroughput(pairs, perPair);
            var tell = await TellThroughput(pairs, perPair);
            Report.Note($"round {round + 1}: channel {channel / 1e6:0.0}M msg/s, tell {tell / 1e6:0.0}M msg/s, threads {ThreadPool.ThreadCount}");
            bestChannel = Math.Max(bestChannel, channel);
            bestTell = Math.Max(bestTell, tell);
        }
        Report.Result("kernel.channel.msgs_per_sec", bestChannel, "msg/s");
        Report.Result("kernel.tell.msgs_per_sec", bestTell, "msg/s");
        Report.Result("kernel.tell.vs_channel_ratio", bestTell / bestChannel, "ratio");

        await SpawnAndMemory(quick ? 100_000 : 1_000_000);
        await AskLatency(quick ? 20_000 : 200_000);
    }

    /// <summary>
    /// Baseline: per pair, a producer task writes a window of messages into an unbounded channel and waits
    /// for the consumer's ack (through a second channel) before the next window.
    /// </summary>
    private static async Task<double> ChannelThroughput(int pairs, int perPair)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task>();
        for (var p = 0; p < pairs; p++)
        {
            var data = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var acks = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            tasks.Add(Task.Run(async () =>
            {
                for (var sent = 0; sent < perPair; sent += Window)
                {
                    for (var i = 0; i < Window; i++)
                    {
                        data.Writer.TryWrite(Message);
                    }
                    await acks.Reader.ReadAsync().ConfigureAwait(false);
                }
            }));
            tasks.Add(Task.Run(async () =>
            {
                var count = 0;
                while (count < perPair && await data.Reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    while (data.Reader.TryRead(out _))
                    {
                        if (++count % Window == 0)
                        {
                            acks.Writer.TryWrite(Message);
                        }
                    }
                }
            }));
        }
        await Task.WhenAll(tasks);
        return pairs * (double)perPair / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The same exchange between actors: the sender tells a window, the receiver acks each full window.</summary>
    private static async Task<double> TellThroughput(int pairs, int perPair)
    {
        await using var system = ActorSystem.Create("bench-tell");
        var done = new Countdown(pairs);
        var senders = Enumerable.Range(0, pairs).Select(_ =>
        {
            var receiver = system.ActorOf(Props.Create(() => new Receiver(perPair, done)));
            return (Sender: system.ActorOf(Props.Create(() => new Sender(receiver, perPair))), receiver);
        }).ToArray();
        var start = Stopwatch.GetTimestamp();
        foreach (var (sender, _) in senders)
        {
            sender.Tell("go", null);
        }
        await done.Task;
        return pairs * (double)perPair / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task SpawnAndMemory(int count)
    {
        await using var system = ActorSystem.Create("bench-spawn");
        Idle.Constructed = 0;
        var props = Props.Create(() => new Idle());
        for (var warm = 0; warm < 1000; warm++)
        {
            system.ActorOf(props);
        }
        while (Volatile.Read(ref Idle.Constructed) < 1000)
        {
            await Task.Yield();
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            system.ActorOf(props);
        }
        while (Volatile.Read(ref Idle.Constructed) < count + 1000)
        {
            await Task.Delay(1);
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Report.Result("kernel.spawn.actors_per_sec", count / elapsed.TotalSeconds, "actors/s");
        Report.Result("kernel.memory.bytes_per_actor", (after - before) / (double)count, "bytes");
        GC.KeepAlive(system);
    }

    private static async Task AskLatency(int asks)
    {
        await using var system = ActorSystem.Create("bench-ask");
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        for (var i = 0; i < 1000; i++)
        {
            await echo.Ask<object>(Message, TimeSpan.FromSeconds(5));
        }
        var samples = new double[asks];
        for (var i = 0; i < asks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await echo.Ask<object>(Message, TimeSpan.FromSeconds(5));
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(samples);
        Report.Result("kernel.ask.median_us", samples[asks / 2], "us");
        Report.Result("kernel.ask.p99_us", samples[(int)(asks * 0.99)], "us");
    }

    /// <summary>Completes a task when signalled n times, without blocking a thread-pool thread.</summary>
    private sealed class Countdown(int count)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left = count;

        public Task Task => _done.Task;

        public void Signal()
        {
            if (Interlocked.Decrement(ref _left) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    private sealed class Sender : ReceiveActor
    {
        private int _sent;

        public Sender(IActorRef target, int count) => ReceiveAny(_ =>
        {
            if (_sent >= count)
            {
                return;
            }
            for (var i = 0; i < Window; i++)
            {
                target.Tell(Message, Self);
            }
            _sent += Window;
        });
    }

    private sealed class Receiver : ReceiveActor
    {
        private int _count;

        public Receiver(int expected, Countdown done) => Receive<object>(_ =>
        {
            if (++_count % Window == 0)
            {
                Sender.Tell(Message, Self);
            }
            if (_count == expected)
            {
                done.Signal();
            }
        });
    }

    /// <summary>The idle actor measured: a ReceiveActor with one handler, as domain actors are written.</summary>
    private sealed class Idle : ReceiveActor
    {
        public static int Constructed;

        public Idle()
        {
            Receive<string>(s => Sender.Tell(s));
            Interlocked.Increment(ref Constructed);
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}
