using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class TimerSpecs(ITestOutputHelper output) : TestKit.TestKit(output, virtualTime: true)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    private async Task<IActorRef> StartTicker()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));
        actor.Tell("ready?", TestActor);
        await ExpectMsgAsync("ready");
        return actor;
    }

    [Fact(Timeout = 10_000)]
    public async Task A_single_timer_must_fire_once_when_virtual_time_passes_its_delay()
    {
        var actor = await StartTicker();
        actor.Tell(("single", TimeSpan.FromSeconds(10)), TestActor);
        await ExpectMsgAsync("started single");
        Advance(TimeSpan.FromSeconds(9));
        await ExpectNoMsgAsync(Short);
        Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("tick single");
        Advance(TimeSpan.FromSeconds(30));
        await ExpectNoMsgAsync(Short);
        actor.Tell(("active?", "single"), TestActor);
        await ExpectMsgAsync(false);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_periodic_timer_must_fire_every_interval_until_cancelled()
    {
        var actor = await StartTicker();
        actor.Tell(("periodic", TimeSpan.FromSeconds(1)), TestActor);
        await ExpectMsgAsync("started periodic");
        for (var i = 0; i < 3; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
            await ExpectMsgAsync("tick periodic");
        }
        actor.Tell(("active?", "periodic"), TestActor);
        await ExpectMsgAsync(true);
        actor.Tell(("cancel", "periodic"), TestActor);
        await ExpectMsgAsync("cancelled periodic");
        Advance(TimeSpan.FromSeconds(5));
        await ExpectNoMsgAsync(Short);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_message_from_a_cancelled_timer_must_not_be_delivered_even_if_already_queued()
    {
        var actor = await StartTicker();
        actor.Tell(("single", TimeSpan.FromSeconds(1)), TestActor);
        await ExpectMsgAsync("started single");
        actor.Tell("block then cancel", TestActor);
        await ExpectMsgAsync("blocked");
        Advance(TimeSpan.FromSeconds(1)); // the tick is queued while the actor is busy; then it cancels the timer
        Ticker.Gate.Set();
        await ExpectMsgAsync("cancelled single");
        await ExpectNoMsgAsync(Short);
    }

    [Fact(Timeout = 10_000)]
    public async Task Restarting_a_timer_with_the_same_key_must_replace_it()
    {
        var actor = await StartTicker();
        actor.Tell(("single", TimeSpan.FromSeconds(1)), TestActor);
        await ExpectMsgAsync("started single");
        actor.Tell(("single", TimeSpan.FromSeconds(5)), TestActor);
        await ExpectMsgAsync("started single");
        Advance(TimeSpan.FromSeconds(2));
        await ExpectNoMsgAsync(Short);
        Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("tick single");
    }

    [Fact(Timeout = 10_000)]
    public async Task Receive_timeout_must_fire_after_idleness_and_repeat_while_idle()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Idler(TestActor)));
        actor.Tell("ready?", TestActor);
        await ExpectMsgAsync("ready");
        Advance(TimeSpan.FromSeconds(4));
        await ExpectNoMsgAsync(Short);
        actor.Tell("activity", TestActor); // re-arms the timeout
        await ExpectMsgAsync("activity");
        Advance(TimeSpan.FromSeconds(4));
        await ExpectNoMsgAsync(Short);
        Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("idle");
        Advance(TimeSpan.FromSeconds(5));
        await ExpectMsgAsync("idle");
        actor.Tell("off", TestActor);
        await ExpectMsgAsync("off");
        Advance(TimeSpan.FromSeconds(20));
        await ExpectNoMsgAsync(Short);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_scheduler_must_send_once_and_repeatedly_on_virtual_time()
    {
        var once = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "once", null);
        var repeated = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "again", null);
        Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("again");
        Advance(TimeSpan.FromSeconds(1));
        var two = (await ReceiveNAsync(2)).Cast<string>().Order().ToArray();
        Assert.Equal(["again", "once"], two);
        repeated.Cancel();
        Assert.True(repeated.IsCancellationRequested);
        Advance(TimeSpan.FromSeconds(5));
        await ExpectNoMsgAsync(Short);
        Assert.True(once.IsCancellationRequested);
    }

    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        public static readonly ManualResetEventSlim Gate = new();

        public Ticker(IActorRef probe)
        {
            Receive<string>(s => s == "ready?", _ => probe.Tell("ready"));
            Receive<string>(s => s == "block then cancel", _ =>
            {
                probe.Tell("blocked");
                Gate.Wait(TimeSpan.FromSeconds(5));
                Timers.Cancel("single");
                probe.Tell("cancelled single");
            });
            Receive<(string Kind, TimeSpan Delay)>(cmd =>
            {
                if (cmd.Kind == "single")
                {
                    Timers.StartSingleTimer("single", "tick single", cmd.Delay);
                }
                else
                {
                    Timers.StartPeriodicTimer("periodic", "tick periodic", cmd.Delay);
                }
                probe.Tell($"started {cmd.Kind}");
            });
            Receive<(string Command, string Key)>(cmd => cmd.Command == "active?", cmd => probe.Tell(Timers.IsTimerActive(cmd.Key)));
            Receive<(string Command, string Key)>(cmd =>
            {
                Timers.Cancel(cmd.Key);
                probe.Tell($"cancelled {cmd.Key}");
            });
            Receive<string>(s => probe.Tell(s));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    private sealed class Idler : ReceiveActor
    {
        public Idler(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(5));
            Receive<ReceiveTimeout>(_ => probe.Tell("idle"));
            Receive<string>(s => s == "off", _ =>
            {
                Context.SetReceiveTimeout(null);
                probe.Tell("off");
            });
            Receive<string>(s => s == "ready?", _ => probe.Tell("ready"));
            Receive<string>(s => probe.Tell(s));
        }
    }
}
