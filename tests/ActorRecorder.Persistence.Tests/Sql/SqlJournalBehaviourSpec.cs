using ActorRecorder.Actors;
using ActorRecorder.Actors.TestKit;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;
using ActorRecorder.Persistence.Tests.Actor;

namespace ActorRecorder.Persistence.Tests.Sql;

/// <summary>Behaviour both SQL journals share beyond the contract: group commit, schema versions, durability across restarts.</summary>
public abstract class SqlJournalBehaviourSpec : TestKit
{
    /// <summary>A fresh journal + snapshot store on the same database each call (a restarted process).</summary>
    protected abstract (IJournal Journal, ISnapshotStore Store, IAsyncDisposable Owner) Open();

    protected abstract long BatchesWritten(IJournal journal);

    /// <summary>Makes the stored schema claim version 99.</summary>
    protected abstract Task SetSchemaVersionAsync(int version);

    private static AtomicWrite Write(string pid, long seq) =>
        new(new PersistentRepr(pid, seq, "e", "{}"u8.ToArray(), [], "w", 0));

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_writers_must_share_transactions()
    {
        var (journal, _, owner) = Open();
        await using (owner)
        {
            Assert.All(await journal.WriteMessagesAsync([Write("warm-up", 1)]), Assert.Null);
            var before = BatchesWritten(journal);
            var writes = Enumerable.Range(0, 200).Select(i => journal.WriteMessagesAsync([Write($"w-{i}", 1)])).ToList();
            await Task.WhenAll(writes);
            var batches = BatchesWritten(journal) - before;
            Assert.True(batches < 100, $"200 concurrent writes took {batches} transactions");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failed_write_must_fail_the_writes_of_the_same_id_queued_behind_it()
    {
        var (journal, _, owner) = Open();
        await using (owner)
        {
            Assert.All(await journal.WriteMessagesAsync([Write("q", 1)]), Assert.Null);
            var duplicate = journal.WriteMessagesAsync([Write("q", 1)]);
            var behind = journal.WriteMessagesAsync([Write("q", 2)]);
            var other = journal.WriteMessagesAsync([Write("q-other", 1)]);
            await Assert.ThrowsAsync<JournalConflictException>(() => duplicate);
            // Stored, event 2 would follow a write its actor saw fail (and stopped on): a gap nobody handled.
            await Assert.ThrowsAsync<InvalidOperationException>(() => behind);
            Assert.All(await other, Assert.Null);
            Assert.Equal(1, await journal.ReadHighestSequenceNrAsync("q", 0));
            // A write issued once the failure was known goes through (e.g. from the restarted actor).
            Assert.All(await journal.WriteMessagesAsync([Write("q", 2)]), Assert.Null);
            Assert.Equal(2, await journal.ReadHighestSequenceNrAsync("q", 0));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task The_schema_must_refuse_a_newer_version_than_this_build_knows()
    {
        var (journal, _, owner) = Open();
        await using (owner)
        {
            Assert.All(await journal.WriteMessagesAsync([Write("v", 1)]), Assert.Null);
        }
        await SetSchemaVersionAsync(99);
        var (again, _, secondOwner) = Open();
        await using (secondOwner)
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => again.ReadHighestSequenceNrAsync("v", 0));
            Assert.Contains("version 99", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_persistent_actor_must_recover_its_events_and_snapshot_after_a_process_restart()
    {
        var serializer = TestSerializer.Create();
        var (journal, store, owner) = Open();
        await using (var first = ActorSystem.Create("first"))
        {
            first.UsePersistence(new PersistenceSettings(journal, store, serializer));
            var actor = first.ActorOf(Props.Create(() => new Collector("durable", TestActor, null, null)));
            await ExpectMsgAsync<Recovered>();
            actor.Tell(new AddAll(["a", "b"]), TestActor);
            await ReceiveNAsync(2);
            actor.Tell(new TakeSnapshot(), TestActor);
            await ExpectMsgAsync<SaveSnapshotSuccess>();
            actor.Tell(new Add("c"), TestActor);
            await ExpectMsgAsync<Persisted>();
        }
        await owner.DisposeAsync();
        var (journal2, store2, owner2) = Open();
        await using (owner2)
        {
            await using var second = ActorSystem.Create("second");
            second.UsePersistence(new PersistenceSettings(journal2, store2, TestSerializer.Create()));
            second.ActorOf(Props.Create(() => new Collector("durable", TestActor, null, null)));
            var recovered = await ExpectMsgAsync<Recovered>();
            Assert.Equal(["a", "b", "c"], recovered.Items);
            Assert.Equal(2, recovered.SnapshotSequenceNr);
            Assert.Equal(1, recovered.EventsReplayed);
        }
    }
}
