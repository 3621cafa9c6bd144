using ActorRecorder.Actors;
using ActorRecorder.Actors.TestKit.Persistence;
using ActorRecorder.Persistence.Journal;
using Xunit.Abstractions;

namespace ActorRecorder.Persistence.Tests.Actor;

public sealed class RecoverySpecs(ITestOutputHelper output) : PersistenceTestKit(TestSerializer.Create(), output)
{
    private IActorRef Start(string pid, Recovery? recovery = null, string? persistOnRecovery = null) =>
        Sys.ActorOf(Props.Create(() => new Collector(pid, TestActor, recovery, persistOnRecovery)));

    private async Task<IActorRef> StartRecoveredAsync(string pid)
    {
        var actor = Start(pid);
        await ExpectMsgAsync<Recovered>();
        return actor;
    }

    private async Task StopAsync(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_recover_its_events_in_order_in_a_new_incarnation()
    {
        var first = await StartRecoveredAsync("p1");
        foreach (var value in new[] { "a", "b", "c" })
        {
            first.Tell(new Add(value), TestActor);
            await ExpectMsgAsync<Persisted>(p => p.Value == value);
        }
        await StopAsync(first);
        Start("p1");
        var recovered = await ExpectMsgAsync<Recovered>();
        Assert.Equal(["a", "b", "c"], recovered.Items);
        Assert.Equal(3, recovered.LastSequenceNr);
        Assert.True(recovered.WasRecovering, "IsRecovering must be true inside recover handlers");
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_stash_commands_during_recovery_and_handle_them_in_order_after_it()
    {
        var gate = Journal.HoldRecovery();
        var actor = Start("p2");
        actor.Tell(new Add("x"), TestActor);
        actor.Tell(new GetState(), TestActor);
        actor.Tell(new Add("y"), TestActor);
        await AwaitConditionAsync(() => gate.Waiting == 1, message: "recovery to be held by the gate");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        gate.Release();
        await ExpectMsgAsync<Recovered>();
        Assert.Equal(new Persisted("x", 1), await ExpectMsgAsync<Persisted>());
        var state = await ExpectMsgAsync<State>();
        Assert.Equal(["x"], state.Items);
        Assert.False(state.IsRecovering);
        Assert.Equal(new Persisted("y", 2), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_recover_from_the_latest_snapshot_plus_the_events_after_it()
    {
        var first = await StartRecoveredAsync("p3");
        first.Tell(new AddAll(["a", "b", "c"]), TestActor);
        await ReceiveNAsync(3);
        first.Tell(new TakeSnapshot(), TestActor);
        Assert.Equal(3, (await ExpectMsgAsync<SaveSnapshotSuccess>()).Metadata.SequenceNr);
        first.Tell(new Add("d"), TestActor);
        first.Tell(new Add("e"), TestActor);
        await ReceiveNAsync(2);
        await StopAsync(first);
        Start("p3");
        var recovered = await ExpectMsgAsync<Recovered>();
        Assert.Equal(["a", "b", "c", "d", "e"], recovered.Items);
        Assert.Equal(3, recovered.SnapshotSequenceNr);
        Assert.Equal(2, recovered.EventsReplayed);
        Assert.Equal(5, recovered.LastSequenceNr);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_continue_after_the_highest_sequence_nr_with_Recovery_None()
    {
        var first = await StartRecoveredAsync("p4");
        first.Tell(new AddAll(["a", "b"]), TestActor);
        await ReceiveNAsync(2);
        await StopAsync(first);
        var second = Start("p4", Recovery.None);
        var recovered = await ExpectMsgAsync<Recovered>();
        Assert.Empty(recovered.Items);
        Assert.Equal(2, recovered.LastSequenceNr);
        second.Tell(new Add("c"), TestActor);
        Assert.Equal(new Persisted("c", 3), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_allow_persisting_in_the_RecoveryCompleted_handler_before_the_first_command()
    {
        var actor = Start("p5", persistOnRecovery: "resumed");
        actor.Tell(new GetState(), TestActor);
        await ExpectMsgAsync<Recovered>();
        var state = await FishForMessageAsync(m => m is State) as State;
        Assert.Equal(["resumed"], state!.Items);
        Assert.Equal(1, state.LastSequenceNr);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_recover_again_after_a_restart_and_keep_later_commands()
    {
        var actor = await StartRecoveredAsync("p6");
        actor.Tell(new Add("a"), TestActor);
        await ExpectMsgAsync<Persisted>();
        actor.Tell(new Crash(), TestActor);
        actor.Tell(new Add("b"), TestActor);
        var recovered = await ExpectMsgAsync<Recovered>();
        Assert.Equal(["a"], recovered.Items);
        Assert.Equal(new Persisted("b", 2), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_read_a_retired_manifest_through_its_upcaster()
    {
        var serializer = new ActorRecorder.Persistence.Serialization.EventSerializer()
            .Register<Added>("added.v2")
            .Register<ListState>("list-state")
            .AddUpcaster("added", json => ("added.v2", new System.Text.Json.Nodes.JsonObject { ["Value"] = json["Value"]!.GetValue<string>().ToUpperInvariant() }));
        await using var system = ActorSystem.Create("upcast");
        var journal = new MemoryJournal();
        system.UsePersistence(new PersistenceSettings(journal, new ActorRecorder.Persistence.Snapshot.MemorySnapshotStore(), serializer));
        await journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr("p7", 1, "added", "{\"Value\":\"old\"}"u8.ToArray(), [], "w", 0))]);
        system.ActorOf(Props.Create(() => new Collector("p7", TestActor, null, null)));
        Assert.Equal(["OLD"], (await ExpectMsgAsync<Recovered>()).Items);
    }
}
