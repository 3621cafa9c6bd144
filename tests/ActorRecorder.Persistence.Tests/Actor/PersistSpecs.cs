using ActorRecorder.Actors;
using ActorRecorder.Actors.TestKit.Persistence;
using ActorRecorder.Persistence.Journal;
using Xunit.Abstractions;

namespace ActorRecorder.Persistence.Tests.Actor;

public sealed class PersistSpecs(ITestOutputHelper output) : PersistenceTestKit(TestSerializer.Create(), output)
{
    private async Task<IActorRef> StartRecoveredAsync(string pid)
    {
        var actor = Sys.ActorOf(Props.Create(() => new Collector(pid, TestActor, null, null)));
        await ExpectMsgAsync<Recovered>();
        return actor;
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_stash_commands_while_Persist_is_in_flight()
    {
        var actor = await StartRecoveredAsync("s1");
        var gate = Journal.HoldWrites();
        actor.Tell(new Add("a"), TestActor);
        actor.Tell(new GetState(), TestActor);
        await AwaitConditionAsync(() => gate.Waiting == 1, message: "the write to be held");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        gate.Release();
        Assert.Equal(new Persisted("a", 1), await ExpectMsgAsync<Persisted>());
        Assert.Equal(["a"], (await ExpectMsgAsync<State>()).Items);
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_keep_handling_commands_while_PersistAsync_is_in_flight()
    {
        var actor = await StartRecoveredAsync("s2");
        var gate = Journal.HoldWrites();
        actor.Tell(new AddAsync("a"), TestActor);
        actor.Tell(new GetState(), TestActor);
        var state = await ExpectMsgAsync<State>();
        Assert.Empty(state.Items);
        Assert.Equal(1, gate.Waiting);
        gate.Release();
        Assert.Equal(new Persisted("a", 1), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_run_PersistAll_handlers_in_order_with_the_command_sender_and_write_atomically()
    {
        var actor = await StartRecoveredAsync("s3");
        var probe = CreateTestProbe();
        actor.Tell(new AddAll(["a", "b", "c"]), probe.Ref);
        Assert.Equal(new Persisted("a", 1), await probe.ExpectMsgAsync<Persisted>());
        Assert.Equal(new Persisted("b", 2), await probe.ExpectMsgAsync<Persisted>());
        Assert.Equal(new Persisted("c", 3), await probe.ExpectMsgAsync<Persisted>());
        var stored = new List<PersistentRepr>();
        await Journal.ReplayMessagesAsync("s3", 1, long.MaxValue, long.MaxValue, stored.Add);
        Assert.Equal([1L, 2, 3], stored.Select(r => r.SequenceNr));
        Assert.All(stored, r => Assert.Equal("added", r.Manifest));
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_run_PersistAsync_handlers_in_order_across_many_commands()
    {
        var actor = await StartRecoveredAsync("s4");
        for (var i = 0; i < 200; i++)
        {
            actor.Tell(new AddAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TestActor);
        }
        var replies = (await ReceiveNAsync(200, TimeSpan.FromSeconds(10))).Cast<Persisted>().ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), replies.Select(p => p.SequenceNr));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), replies.Select(p => p.Value));
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_run_DeferAsync_after_the_pending_handlers_and_at_once_when_none_are_pending()
    {
        var actor = await StartRecoveredAsync("s5");
        actor.Tell(new DeferAfter("alone", PersistFirst: false), TestActor);
        Assert.Equal(new Deferred("alone"), await ExpectMsgAsync<Deferred>());
        var gate = Journal.HoldWrites();
        actor.Tell(new DeferAfter("after", PersistFirst: true), TestActor);
        await AwaitConditionAsync(() => gate.Waiting == 1, message: "the write to be held");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        gate.Release();
        Assert.Equal(new Persisted("after", 1), await ExpectMsgAsync<Persisted>());
        Assert.Equal(new Deferred("after"), await ExpectMsgAsync<Deferred>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_write_the_events_an_async_command_handler_persisted_after_an_await()
    {
        var actor = await StartRecoveredAsync("s6");
        actor.Tell(new AddAfterAwait("a"), TestActor);
        actor.Tell(new Add("b"), TestActor);
        Assert.Equal(new Persisted("a", 1), await ExpectMsgAsync<Persisted>());
        Assert.Equal(new Persisted("b", 2), await ExpectMsgAsync<Persisted>());
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_store_the_tags_of_a_Tagged_event_for_queries_by_tag()
    {
        var actor = await StartRecoveredAsync("s7");
        actor.Tell(new AddTagged("a", "blue"), TestActor);
        actor.Tell(new Add("b"), TestActor);
        actor.Tell(new AddTagged("c", "blue"), TestActor);
        await ReceiveNAsync(3);
        var blue = new List<JournalEvent>();
        await foreach (var e in Journal.CurrentEventsByTagAsync("blue", 0))
        {
            blue.Add(e);
        }
        Assert.Equal([1L, 3], blue.Select(e => e.Event.SequenceNr));
        Assert.Equal(new Added("c"), Serializer.Deserialize(blue[1].Event.Manifest, blue[1].Event.Payload));
    }

    [Fact(Timeout = 15_000)]
    public async Task PersistentActor_must_delete_messages_up_to_a_bound_and_refuse_a_bound_past_the_last_event()
    {
        var actor = await StartRecoveredAsync("s8");
        actor.Tell(new AddAll(["a", "b", "c"]), TestActor);
        await ReceiveNAsync(3);
        actor.Tell(new DeleteUpTo(2), TestActor);
        Assert.Equal(2, (await ExpectMsgAsync<DeleteMessagesSuccess>()).ToSequenceNr);
        actor.Tell(new DeleteUpTo(9), TestActor);
        Assert.IsType<ArgumentOutOfRangeException>((await ExpectMsgAsync<DeleteMessagesFailure>()).Cause);
        var left = new List<PersistentRepr>();
        await Journal.ReplayMessagesAsync("s8", 1, long.MaxValue, long.MaxValue, left.Add);
        Assert.Equal([3L], left.Select(r => r.SequenceNr));
    }
}
