using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Recording;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// The channel's timers on virtual time: Akka.TestKit's TestScheduler drives the actor's timers, and the channel's
/// clock (its <see cref="TimeProvider"/>) reads the same virtual time, so a ten-minute grace period takes no time.
/// </summary>
public sealed class ChannelTimerSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config VirtualTime = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.actor.serializers.recorder = "ActorRecorder.Engine.Serialization.RecorderSerializer, ActorRecorder.Engine"
        akka.actor.serialization-bindings { "ActorRecorder.Engine.Serialization.IRecorderMessage, ActorRecorder.Engine" = recorder }
        """);

    private readonly TestProbe _recorders;
    private readonly TestProbe _events;

    public ChannelTimerSpecs(ITestOutputHelper output) : base(VirtualTime, "channel-timers", output)
    {
        _recorders = CreateTestProbe("recorders");
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(ChannelEventPersisted));
    }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    /// <summary>A channel whose ffmpeg is a probe, with a grace period of ten minutes, live and recording.</summary>
    private IActorRef RecordingChannel()
    {
        var recorders = _recorders.Ref;
        var services = EngineServices.Create() with
        {
            Time = new SchedulerClock(Scheduler),
            FreeBytes = _ => long.MaxValue,
            Children = new ChannelChildren(
                (_, _) => Props.Create(() => new Quiet()),
                (start, _, _) => Props.Create(() => new Quiet(recorders, start)),
                (_, _) => Props.Create(() => new Quiet()),
                (_, _) => Props.Create(() => new Quiet())),
        };
        var directory = CreateTestProbe("directory");
        var channel = Sys.ActorOf(ChannelActor.Props("demo", services, directory.Ref));
        directory.ExpectMsg<GetChannelSettings>();
        var settings = ChannelScript.DefaultSettings(targets: []);
        directory.LastSender.Tell(new ConfigureChannel(settings with { Recording = settings.Recording with { GracePeriod = TimeSpan.FromMinutes(10) } }));
        channel.Tell(ChannelScript.Live());
        _recorders.ExpectMsg<StartRecorder>();
        return channel;
    }

    private T Next<T>() where T : IChannelEvent => (T)((ChannelEventPersisted)_events.FishForMessage(m => m is ChannelEventPersisted { Event: T })).Event;

    [Fact]
    public void The_grace_period_must_end_the_session_when_it_runs_out_and_not_before()
    {
        var channel = RecordingChannel();
        channel.Tell(new RecordingStopped(1, RecordingOutcome.Ended, "the stream ended", 0));
        var dropped = Next<StreamDropped>();

        Scheduler.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(59));
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Scheduler.Advance(TimeSpan.FromSeconds(2));

        var ended = Next<SessionEnded>();
        Assert.Equal(dropped.SessionId, ended.SessionId);
        Assert.InRange(ended.At - dropped.At, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_failed_ffmpeg_must_be_retried_after_its_back_off_and_not_before()
    {
        var channel = RecordingChannel();
        channel.Tell(new RecordingStopped(1, RecordingOutcome.Failed, "exit 1", 1));
        Next<RecordingAttemptEnded>();
        channel.Tell(new RecordingStopped(1, RecordingOutcome.Failed, "exit 1", 1)); // a late duplicate changes nothing

        Scheduler.Advance(TimeSpan.FromMilliseconds(900));
        _recorders.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Scheduler.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(2, _recorders.ExpectMsg<StartRecorder>().Attempt);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_monitor_that_fails_must_be_started_again_after_a_doubling_back_off_and_its_trouble_shown()
    {
        var monitors = CreateTestProbe("monitors");
        var services = EngineServices.Create() with
        {
            Time = new SchedulerClock(Scheduler),
            FreeBytes = _ => long.MaxValue,
            Children = new ChannelChildren(
                (_, _) => Props.Create(() => new Failing(monitors.Ref)),
                (_, _, _) => Props.Create(() => new Quiet(null, null)),
                (_, _) => Props.Create(() => new Quiet(null, null)),
                (_, _) => Props.Create(() => new Quiet(null, null))),
        };
        var directory = CreateTestProbe("directory");
        var channel = Sys.ActorOf(ChannelActor.Props("demo", services, directory.Ref));
        directory.ExpectMsg<GetChannelSettings>();
        directory.LastSender.Tell(new ConfigureChannel(ChannelScript.DefaultSettings(targets: [])));
        monitors.ExpectMsg("started"); // the first monitor, at once

        var failures = 0;
        foreach (var seconds in new[] { 5, 10, 20 })
        {
            // The channel has heard of the failure (its status says so) before virtual time moves: its back-off timer runs.
            var heard = ++failures;
            await AwaitAssertAsync(async () => Assert.Contains($"failed {heard} time", (await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5))).Problem));
            Scheduler.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            monitors.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
            Scheduler.Advance(TimeSpan.FromMilliseconds(1));
            monitors.ExpectMsg("started");
        }
        Assert.Equal(3, Next<MonitorFailing>().Failures);
    }

    /// <summary>A monitor that fails as it starts (its resolver is missing, say), after telling the probe.</summary>
    private sealed class Failing : ReceiveActor
    {
        public Failing(IActorRef probe)
        {
            probe.Tell("started");
            throw new InvalidOperationException("the resolver is missing");
        }
    }

    /// <summary>A TimeProvider that reads the actor system's (virtual) scheduler clock.</summary>
    private sealed class SchedulerClock(IScheduler scheduler) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => scheduler.Now;
    }

    /// <summary>A child that says it started (when given a probe) and otherwise keeps quiet.</summary>
    private sealed class Quiet : ReceiveActor
    {
        public Quiet(IActorRef? probe = null, object? started = null)
        {
            if (probe is not null && started is not null)
            {
                probe.Tell(started);
            }
            ReceiveAny(_ => { });
        }
    }
}
