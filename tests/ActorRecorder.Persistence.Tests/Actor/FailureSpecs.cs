using ActorRecorder.Actors;
using ActorRecorder.Actors.Pattern;
using ActorRecorder.Actors.TestKit.Persistence;
using ActorRecorder.Persistence.Journal;
using Xunit.Abstractions;

namespace ActorRecorder.Persistence.Tests.Actor;

public sealed class FailureSpecs(ITestOutputHelper output) : PersistenceTestKit(TestSerializer.Create(), output)
{
    private IActorRef Start(string pid) => Sys.ActorOf(Props.Create(() => new Collector(pid, TestActor, null, null)));

    private async Task<IActorRef> StartRecoveredAsync(string pid)
    {
        var actor = Start(pid);
        await ExpectMsgAsync<Recovered>();
        return actor;
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_call_OnPersistFailure_and_stop_when_a_write_fails()
    {
        var actor = await StartRecoveredAsync("f1");
        Watch(actor);
        Journal.FailNextWrites();
        await EventFilter.Error("Failed to persist event type [Added] with sequence number [1] for persistence id [f1]").ExpectAsync(async () =>
        {
            actor.Tell(new Add("lost"), TestActor);
            Assert.Equal(1, (await ExpectMsgAsync<PersistFailed>()).SequenceNr);
            await ExpectTerminatedAsync(actor);
        });
        var stored = new List<PersistentRepr>();
        await Journal.ReplayMessagesAsync("f1", 1, long.MaxValue, long.MaxValue, stored.Add);
        Assert.Empty(stored);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_fail_a_write_only_after_the_injected_delay()
    {
        var actor = await StartRecoveredAsync("f2");
        Journal.FailNextWrites<Added>(when: e => e.Value == "slow", delay: TimeSpan.FromMilliseconds(300));
        // Timers may fire a little early against the stopwatch; the bound only has to show the delay happened.
        await WithinAsync(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), async () =>
        {
            actor.Tell(new Add("slow"), TestActor);
            await ExpectMsgAsync<PersistFailed>();
        });
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_call_OnPersistRejected_skip_the_handler_and_keep_running()
    {
        var actor = await StartRecoveredAsync("f3");
        Journal.RejectNextWrites<Added>(when: e => e.Value == "bad");
        await EventFilter.Warning("Rejected to persist event type [Added] with sequence number [2]").ExpectAsync(async () =>
        {
            actor.Tell(new Add("good"), TestActor);
            actor.Tell(new Add("bad"), TestActor);
            actor.Tell(new Add("after"), TestActor);
            Assert.Equal(new Persisted("good", 1), await ExpectMsgAsync<Persisted>());
            Assert.Equal(new PersistRejected(new Added("bad"), 2), await ExpectMsgAsync<PersistRejected>());
            // As in Akka, the rejected event's sequence number is consumed.
            Assert.Equal(new Persisted("after", 3), await ExpectMsgAsync<Persisted>());
        });
        actor.Tell(new GetState(), TestActor);
        Assert.Equal(["good", "after"], (await ExpectMsgAsync<State>()).Items);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_reject_an_event_it_cannot_serialize_and_keep_running()
    {
        var actor = await StartRecoveredAsync("f4");
        actor.Tell(new AddUnserializable("x"), TestActor);
        var rejected = await ExpectMsgAsync<PersistRejected>();
        Assert.Equal(new NotRegistered("x"), rejected.Event);
        actor.Tell(new Add("y"), TestActor);
        Assert.Equal(new Persisted("y", 2), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_stop_and_log_the_reason_when_recovery_fails()
    {
        var first = await StartRecoveredAsync("f5");
        first.Tell(new AddAll(["a", "b"]), TestActor);
        await ReceiveNAsync(2);
        Sys.Stop(first);
        Journal.FailRecovery<Added>(when: e => e.Value == "b");
        await EventFilter.Error("Recovery of persistence id [f5] failed; last known sequence number [1]; stopping: Injected recovery failure").ExpectAsync(async () =>
        {
            var second = Start("f5");
            Watch(second);
            Assert.StartsWith("Injected recovery failure", (await ExpectMsgAsync<RecoveryFailed>()).Reason, StringComparison.Ordinal);
            await ExpectTerminatedAsync(second);
        });
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_fail_recovery_with_a_message_naming_an_unknown_manifest()
    {
        await Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr("f6", 1, "renamed-without-upcaster", "{}"u8.ToArray(), [], "w", 0))]);
        await EventFilter.Error("[renamed-without-upcaster]").ExpectAsync(async () =>
        {
            var actor = Start("f6");
            Watch(actor);
            Assert.Contains("Unknown event manifest [renamed-without-upcaster]", (await ExpectMsgAsync<RecoveryFailed>()).Reason, StringComparison.Ordinal);
            await ExpectTerminatedAsync(actor);
        });
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_fail_recovery_when_the_snapshot_cannot_be_loaded()
    {
        SnapshotStore.FailNextLoads();
        var actor = Start("f7");
        Watch(actor);
        Assert.Contains("Injected snapshot load failure", (await ExpectMsgAsync<RecoveryFailed>()).Reason, StringComparison.Ordinal);
        await ExpectTerminatedAsync(actor);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_report_a_failed_snapshot_save_and_keep_running()
    {
        var actor = await StartRecoveredAsync("f8");
        SnapshotStore.FailNextSaves<ListState>();
        actor.Tell(new TakeSnapshot(), TestActor);
        Assert.IsType<InjectedFaultException>((await ExpectMsgAsync<SaveSnapshotFailure>()).Cause);
        actor.Tell(new Add("a"), TestActor);
        Assert.Equal(new Persisted("a", 1), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_report_a_failed_delete_and_keep_its_events()
    {
        var actor = await StartRecoveredAsync("f10");
        actor.Tell(new AddAll(["a", "b"]), TestActor);
        await ReceiveNAsync(2);
        Journal.FailNextDeletes();
        actor.Tell(new DeleteUpTo(2), TestActor);
        var failure = await ExpectMsgAsync<DeleteMessagesFailure>();
        Assert.IsType<InjectedFaultException>(failure.Cause);
        Assert.Equal(2, failure.ToSequenceNr);
        var stored = new List<PersistentRepr>();
        await Journal.ReplayMessagesAsync("f10", 1, long.MaxValue, long.MaxValue, stored.Add);
        Assert.Equal(2, stored.Count);
    }

    [Fact(Timeout = 20_000)]
    public async Task PersistentActor_under_a_BackoffSupervisor_must_come_back_and_recover_after_a_write_failure()
    {
        var options = Backoff.OnStop(Props.Create(() => new Collector("f9", TestActor, null, null)), "collector",
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0);
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        await ExpectMsgAsync<Recovered>();
        supervisor.Tell(new Add("kept"), TestActor);
        await ExpectMsgAsync<Persisted>();
        Journal.FailNextWrites();
        supervisor.Tell(new Add("lost"), TestActor);
        await ExpectMsgAsync<PersistFailed>();
        var recovered = await ExpectMsgAsync<Recovered>();
        Assert.Equal(["kept"], recovered.Items);
        supervisor.Tell(new Add("again"), TestActor);
        Assert.Equal(new Persisted("again", 2), await ExpectMsgAsync<Persisted>());
    }
}
