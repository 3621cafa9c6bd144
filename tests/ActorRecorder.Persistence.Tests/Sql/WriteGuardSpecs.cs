using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.PostgreSql;

namespace ActorRecorder.Persistence.Tests.Sql;

/// <summary>
/// Fencing with a simple lease table, as the cluster uses it: a write carries the (shard, owner,
/// epoch) its node believes it holds, and is stored only while the table agrees.
/// </summary>
public sealed class WriteGuardSpecs : IAsyncLifetime
{
    private const string Node = "node-a";
    private readonly string _schema = PostgresServer.NewSchemaName();
    private readonly LeaseGuard _guard;
    private PostgreSqlPersistence? _persistence;

    public WriteGuardSpecs() => _guard = new LeaseGuard(_schema);

    private IJournal Journal => _persistence!.Journal;

    public async Task InitializeAsync()
    {
        await PostgresServer.ExecuteAsync($"""
            CREATE SCHEMA "{_schema}";
            CREATE TABLE "{_schema}".shard_leases (shard INT PRIMARY KEY, owner TEXT NOT NULL, epoch BIGINT NOT NULL);
            INSERT INTO "{_schema}".shard_leases VALUES (1, '{Node}', 7), (2, '{Node}', 3);
            """);
        _persistence = new PostgreSqlPersistence(new PostgreSqlOptions(PostgresServer.ConnectionString) { Schema = _schema, WriteGuard = _guard });
    }

    public async Task DisposeAsync()
    {
        await _persistence!.DisposeAsync();
        await PostgresServer.DropSchemaAsync(_schema);
    }

    private static AtomicWrite Write(string pid, long seq) =>
        new(new PersistentRepr(pid, seq, "e", "{}"u8.ToArray(), [], "w", 0));

    private async Task<long> HighestAsync(string pid) => await Journal.ReadHighestSequenceNrAsync(pid, 0);

    [Fact(Timeout = 30_000)]
    public async Task A_fenced_write_must_be_stored_while_its_lease_is_held()
    {
        Assert.All(await Journal.WriteMessagesAsync([Write("shard1-a", 1)]), Assert.Null);
        Assert.Equal(1, await HighestAsync("shard1-a"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_fenced_write_must_fail_and_store_nothing_once_the_lease_moved()
    {
        await PostgresServer.ExecuteAsync($"""UPDATE "{_schema}".shard_leases SET owner = 'node-b', epoch = epoch + 1 WHERE shard = 2""");
        var ex = await Assert.ThrowsAsync<WriteGuardRejectedException>(() => Journal.WriteMessagesAsync([Write("shard2-a", 1)]));
        Assert.Equal("shard2-a", ex.PersistenceId);
        Assert.Contains("returned no row", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await HighestAsync("shard2-a"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_moved_lease_must_not_fail_writes_fenced_by_a_held_lease_in_the_same_batch()
    {
        await PostgresServer.ExecuteAsync($"""UPDATE "{_schema}".shard_leases SET epoch = epoch + 1 WHERE shard = 2""");
        var writes = Enumerable.Range(0, 40)
            .Select(i => (Pid: i % 2 == 0 ? $"shard1-{i}" : $"shard2-{i}", Task: Journal.WriteMessagesAsync([Write(i % 2 == 0 ? $"shard1-{i}" : $"shard2-{i}", 1)])))
            .ToList();
        foreach (var (pid, task) in writes)
        {
            if (pid.StartsWith("shard1", StringComparison.Ordinal))
            {
                Assert.All(await task, Assert.Null);
                Assert.Equal(1, await HighestAsync(pid));
            }
            else
            {
                await Assert.ThrowsAsync<WriteGuardRejectedException>(() => task);
                Assert.Equal(0, await HighestAsync(pid));
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Unfenced_ids_must_be_written_without_a_condition()
    {
        Assert.All(await Journal.WriteMessagesAsync([Write("free", 1)]), Assert.Null);
        Assert.Equal(1, await HighestAsync("free"));
    }

    /// <summary>What node-a believes it holds: shard 1 at epoch 7, shard 2 at epoch 3; "shardN-..." ids live on shard N.</summary>
    private sealed class LeaseGuard(string schema) : IWriteGuard
    {
        private static readonly Dictionary<int, long> Believed = new() { [1] = 7, [2] = 3 };

        public WriteCondition? ConditionFor(string persistenceId)
        {
            if (!persistenceId.StartsWith("shard", StringComparison.Ordinal))
            {
                return null;
            }
            var shard = persistenceId[5] - '0';
            return new WriteCondition(
                $"""SELECT 1 FROM "{schema}".shard_leases WHERE shard = @shard AND owner = @owner AND epoch = @epoch FOR SHARE""",
                new Dictionary<string, object> { ["shard"] = shard, ["owner"] = Node, ["epoch"] = Believed[shard] });
        }
    }
}
