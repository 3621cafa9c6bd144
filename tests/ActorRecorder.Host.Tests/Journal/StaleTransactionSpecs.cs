using ActorRecorder.ClusterLab;
using ActorRecorder.Host.Journal;
using Npgsql;

namespace ActorRecorder.Host.Tests.Journal;

/// <summary>
/// A journal session left inside a transaction (its node cut off or frozen between INSERT and COMMIT) must not hold the
/// row locks the channel's next owner needs: PostgreSQL ends it after JournalSetup.StaleTransactionTimeout.
/// </summary>
public sealed class StaleTransactionSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_write_left_uncommitted_must_stop_blocking_the_same_key_within_the_stale_transaction_timeout()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var connectionString = JournalSetup.WithStaleTransactionsEnded(database.ConnectionString);
        await using (var setup = new NpgsqlConnection(database.ConnectionString))
        {
            await setup.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE journal_like (pid text, seq bigint, PRIMARY KEY (pid, seq))", setup).ExecuteNonQueryAsync();
        }

        // The cut-off writer: its INSERT reached the database, its COMMIT never does (it is never closed either).
        var stale = new NpgsqlConnection(connectionString);
        await stale.OpenAsync();
        var transaction = await stale.BeginTransactionAsync();
        await new NpgsqlCommand("INSERT INTO journal_like VALUES ('channel-ch01', 7)", stale, transaction).ExecuteNonQueryAsync();

        // The next owner writes the same key: it waits on the lock, then, once the stale session is ended, goes through.
        await using var owner = new NpgsqlConnection(connectionString);
        await owner.OpenAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await new NpgsqlCommand("INSERT INTO journal_like VALUES ('channel-ch01', 7)", owner) { CommandTimeout = 30 }.ExecuteNonQueryAsync();
        // Without the timeout it would wait until its 30 s command timeout and fail; 25 s leaves a loaded machine 20 s of room.
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(25), $"the next owner's write waited {waited.Elapsed.TotalSeconds:0.0} s");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => transaction.CommitAsync());
        Assert.True(refused is NpgsqlException or InvalidOperationException, refused.ToString());
    }
}
