using System.Diagnostics;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The database's own limit for the journal's work: the same INSERT statements through the bare
/// driver, one transaction per batch, durable settings as the journal's, into a table of the same
/// shape; and the same replay query for reads.
/// </summary>
internal static class PersistenceRawBaseline
{
    /// <summary>Rows per second inserting <paramref name="batches"/> batches of <paramref name="batchSize"/> rows.</summary>
    public static async Task<double> SqliteInsertsAsync(string file, int batches, int batchSize)
    {
        // The journal creates the same schema (and WAL mode) in this file; then the bare driver takes over.
        await using (var schemaOwner = new SqlitePersistence(new SqliteOptions(file)))
        {
            await schemaOwner.Journal.ReadHighestSequenceNrAsync("none", 0);
        }
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(BenchEvent.For(1));
        var start = Stopwatch.GetTimestamp();
        for (var b = 0; b < batches; b++)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = SqliteSchema.Insert;
            var p = new[]
            {
                insert.Parameters.Add("$pid", SqliteType.Text), insert.Parameters.Add("$seq", SqliteType.Integer),
                insert.Parameters.Add("$created", SqliteType.Integer), insert.Parameters.Add("$manifest", SqliteType.Text),
                insert.Parameters.Add("$payload", SqliteType.Blob), insert.Parameters.Add("$tags", SqliteType.Text),
                insert.Parameters.Add("$writer", SqliteType.Text),
            };
            insert.Prepare();
            for (var i = 0; i < batchSize; i++)
            {
                p[0].Value = $"raw-{i}";
                p[1].Value = b + 1L;
                p[2].Value = 0L;
                p[3].Value = "bench-event";
                p[4].Value = payload;
                p[5].Value = DBNull.Value;
                p[6].Value = "raw";
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return batches * (double)batchSize / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    public static async Task<double> PostgresInsertsAsync(string connectionString, string schema, int batches, int batchSize)
    {
        await using (var schemaOwner = new PostgreSqlPersistence(new PostgreSqlOptions(connectionString) { Schema = schema }))
        {
            await schemaOwner.Journal.ReadHighestSequenceNrAsync("none", 0);
        }
        var sql = new PostgreSqlSchema(schema).Insert;
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(BenchEvent.For(1));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var pids = Enumerable.Range(0, batchSize).Select(i => $"raw-{i}").ToArray();
        var start = Stopwatch.GetTimestamp();
        for (var b = 0; b < batches; b++)
        {
            // One statement is one transaction, as in the journal's unfenced group commit.
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<string[]>("pids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = pids });
            command.Parameters.Add(new NpgsqlParameter<long[]>("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = Enumerable.Repeat(b + 1L, batchSize).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long[]>("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = new long[batchSize] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = Enumerable.Repeat("bench-event", batchSize).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = Enumerable.Repeat(payload, batchSize).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<string?[]>("tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = new string?[batchSize] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("writers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = Enumerable.Repeat("raw", batchSize).ToArray() });
            await command.ExecuteNonQueryAsync();
        }
        return batches * (double)batchSize / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Events per second replaying <paramref name="ids"/> persistence ids through the journal's replay call, without actors.</summary>
    public static async Task<double> ReplayAsync(IJournal journal, IReadOnlyList<string> ids)
    {
        long rows = 0;
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            long local = 0;
            await journal.ReplayMessagesAsync(id, 1, long.MaxValue, long.MaxValue, _ => local++);
            Interlocked.Add(ref rows, local);
        });
        return rows / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
