using System.Text;
using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence.Tests.Journal;

/// <summary>
/// The <see cref="IJournal"/> contract, run against every implementation (one subclass each): order,
/// ranges, atomicity, optimistic concurrency, isolation of writers, deletion, queries.
/// </summary>
public abstract class JournalSpec : IAsyncLifetime
{
    private IJournal? _journal;

    protected IJournal Journal => _journal ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<IJournal> CreateJournalAsync();

    protected virtual Task DisposeJournalAsync(IJournal journal) => Task.CompletedTask;

    public async Task InitializeAsync() => _journal = await CreateJournalAsync();

    public async Task DisposeAsync()
    {
        if (_journal is not null)
        {
            await DisposeJournalAsync(_journal);
        }
    }

    protected static PersistentRepr Repr(string pid, long seq, string text = "", params string[] tags) =>
        new(pid, seq, "test-event", Encoding.UTF8.GetBytes($"{{\"text\":\"{text}{pid}#{seq}\"}}"), tags, "writer-1", 1_700_000_000_000 + seq);

    protected async Task WriteAsync(string pid, long from, long to, params string[] tags)
    {
        var writes = new List<AtomicWrite>();
        for (var seq = from; seq <= to; seq++)
        {
            writes.Add(new AtomicWrite(Repr(pid, seq, "", tags)));
        }
        var results = await Journal.WriteMessagesAsync(writes);
        Assert.All(results, Assert.Null);
    }

    protected async Task<List<PersistentRepr>> ReplayAsync(string pid, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var events = new List<PersistentRepr>();
        await Journal.ReplayMessagesAsync(pid, from, to, max, events.Add);
        return events;
    }

    protected static async Task<List<JournalEvent>> ToListAsync(IAsyncEnumerable<JournalEvent> query)
    {
        var list = new List<JournalEvent>();
        await foreach (var item in query)
        {
            list.Add(item);
        }
        return list;
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_replay_written_events_in_sequence_order_with_every_field_intact()
    {
        var written = new[] { Repr("a", 1, "é✓", "t1", "t2"), Repr("a", 2), Repr("a", 3, "", "t1") };
        await Journal.WriteMessagesAsync([new AtomicWrite(written[0]), new AtomicWrite([written[1], written[2]])]);
        var replayed = await ReplayAsync("a");
        Assert.Equal(3, replayed.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(written[i].PersistenceId, replayed[i].PersistenceId);
            Assert.Equal(written[i].SequenceNr, replayed[i].SequenceNr);
            Assert.Equal(written[i].Manifest, replayed[i].Manifest);
            Assert.Equal(written[i].Payload, replayed[i].Payload);
            Assert.Equal(written[i].Tags, replayed[i].Tags);
            Assert.Equal(written[i].WriterUuid, replayed[i].WriterUuid);
            Assert.Equal(written[i].Timestamp, replayed[i].Timestamp);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_replay_only_the_requested_range_and_at_most_max_events()
    {
        await WriteAsync("b", 1, 10);
        Assert.Equal([3L, 4, 5], (await ReplayAsync("b", 3, 5)).Select(e => e.SequenceNr));
        Assert.Equal([6L, 7], (await ReplayAsync("b", 6, long.MaxValue, 2)).Select(e => e.SequenceNr));
        Assert.Empty(await ReplayAsync("b", 11));
        Assert.Empty(await ReplayAsync("b", 1, 10, 0));
        Assert.Empty(await ReplayAsync("unknown"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_report_the_highest_sequence_nr_and_zero_for_an_unknown_id()
    {
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync("nobody", 0));
        await WriteAsync("c", 1, 7);
        Assert.Equal(7, await Journal.ReadHighestSequenceNrAsync("c", 0));
        Assert.Equal(7, await Journal.ReadHighestSequenceNrAsync("c", 5));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_fail_a_write_whose_sequence_nr_is_taken_and_store_none_of_its_events()
    {
        await WriteAsync("d", 1, 2);
        var conflicting = new AtomicWrite([Repr("d", 2, "again"), Repr("d", 3, "new")]);
        var conflict = await Assert.ThrowsAsync<JournalConflictException>(() => Journal.WriteMessagesAsync([conflicting]));
        Assert.Equal("d", conflict.PersistenceId);
        var replayed = await ReplayAsync("d");
        Assert.Equal([1L, 2], replayed.Select(e => e.SequenceNr));
        Assert.Equal(Repr("d", 2).Payload, replayed[1].Payload);
        Assert.Equal(2, await Journal.ReadHighestSequenceNrAsync("d", 0));
        // The journal stays usable after the conflict.
        await WriteAsync("d", 3, 3);
        Assert.Equal(3, (await ReplayAsync("d")).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_not_fail_other_writers_when_one_writer_conflicts()
    {
        await WriteAsync("e-conflict", 1, 1);
        var innocent = Enumerable.Range(0, 20)
            .Select(i => Journal.WriteMessagesAsync([new AtomicWrite(Repr($"e-{i}", 1))]))
            .ToList();
        var guilty = Journal.WriteMessagesAsync([new AtomicWrite(Repr("e-conflict", 1, "duplicate"))]);
        await Assert.ThrowsAsync<JournalConflictException>(() => guilty);
        foreach (var write in innocent)
        {
            Assert.All(await write, Assert.Null);
        }
        for (var i = 0; i < 20; i++)
        {
            Assert.Single(await ReplayAsync($"e-{i}"));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_keep_the_order_of_writes_issued_before_the_first_completed()
    {
        var pending = Enumerable.Range(1, 50)
            .Select(seq => Journal.WriteMessagesAsync([new AtomicWrite(Repr("f", seq))]))
            .ToList();
        await Task.WhenAll(pending);
        var replayed = await ReplayAsync("f");
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), replayed.Select(e => e.SequenceNr));
        var orderings = (await ToListAsync(Journal.CurrentEventsByPersistenceIdAsync("f", 1, long.MaxValue))).Select(e => e.Ordering).ToList();
        Assert.Equal(orderings.Order(), orderings);
    }

    [Fact(Timeout = 60_000)]
    public async Task Journal_must_store_every_event_of_many_concurrent_writers()
    {
        var writers = Enumerable.Range(0, 50).Select(async w =>
        {
            for (var seq = 1; seq <= 20; seq++)
            {
                Assert.All(await Journal.WriteMessagesAsync([new AtomicWrite(Repr($"g-{w}", seq))]), Assert.Null);
            }
        });
        await Task.WhenAll(writers);
        for (var w = 0; w < 50; w++)
        {
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), (await ReplayAsync($"g-{w}")).Select(e => e.SequenceNr));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_not_replay_deleted_events_and_keep_the_highest_sequence_nr()
    {
        await WriteAsync("h", 1, 5);
        await Journal.DeleteMessagesToAsync("h", 3);
        Assert.Equal([4L, 5], (await ReplayAsync("h")).Select(e => e.SequenceNr));
        await Journal.DeleteMessagesToAsync("h", long.MaxValue);
        Assert.Empty(await ReplayAsync("h"));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync("h", 0));
        Assert.Empty(await ToListAsync(Journal.CurrentEventsByPersistenceIdAsync("h", 0, long.MaxValue)));
        await WriteAsync("h", 6, 6);
        Assert.Equal([6L], (await ReplayAsync("h")).Select(e => e.SequenceNr));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_return_current_events_by_persistence_id_with_increasing_ordering()
    {
        await WriteAsync("i", 1, 3);
        await WriteAsync("other", 1, 2);
        await WriteAsync("i", 4, 5);
        var events = await ToListAsync(Journal.CurrentEventsByPersistenceIdAsync("i", 2, 4));
        Assert.Equal([2L, 3, 4], events.Select(e => e.Event.SequenceNr));
        Assert.True(events[0].Ordering < events[1].Ordering && events[1].Ordering < events[2].Ordering);
        Assert.All(events, e => Assert.Equal("i", e.Event.PersistenceId));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_return_current_events_by_tag_after_an_offset()
    {
        await WriteAsync("j1", 1, 2, "blue");
        await WriteAsync("j2", 1, 1, "red");
        await WriteAsync("j3", 1, 2, "blue", "red");
        await WriteAsync("j4", 1, 1, "blueish");
        var blue = await ToListAsync(Journal.CurrentEventsByTagAsync("blue", 0));
        Assert.Equal(["j1#1", "j1#2", "j3#1", "j3#2"], blue.Select(e => $"{e.Event.PersistenceId}#{e.Event.SequenceNr}"));
        var afterSecond = await ToListAsync(Journal.CurrentEventsByTagAsync("blue", blue[1].Ordering));
        Assert.Equal(["j3#1", "j3#2"], afterSecond.Select(e => $"{e.Event.PersistenceId}#{e.Event.SequenceNr}"));
        Assert.Equal(3, (await ToListAsync(Journal.CurrentEventsByTagAsync("red", 0))).Count);
        Assert.Empty(await ToListAsync(Journal.CurrentEventsByTagAsync("green", 0)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_must_store_large_payloads_byte_for_byte()
    {
        var payload = new byte[1 << 20];
        new Random(42).NextBytes(payload);
        var repr = Repr("k", 1) with { Payload = payload, Manifest = "blob.v1" };
        Assert.All(await Journal.WriteMessagesAsync([new AtomicWrite(repr)]), Assert.Null);
        var replayed = Assert.Single(await ReplayAsync("k"));
        Assert.Equal(payload, replayed.Payload);
        Assert.Equal("blob.v1", replayed.Manifest);
    }
}
