using System.Runtime.CompilerServices;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.Batching;
using Microsoft.Data.Sqlite;

namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>
/// The SQLite journal (see <see cref="IJournal"/> for the contract). Writes from all actors are
/// group-committed: one transaction (one fsync) per batch, each caller's writes inside their own
/// savepoint, so a conflict rolls back that caller alone and the others still commit.
/// </summary>
public sealed class SqliteJournal : IJournal, IAsyncDisposable
{
    private const int PageSize = 1000;
    private const int SqliteConstraint = 19;

    private readonly SqliteDatabase _database;
    private readonly GroupCommitWriter _writer;

    internal SqliteJournal(SqliteDatabase database)
    {
        _database = database;
        _writer = new GroupCommitWriter(WriteBatchAsync, database.Options.MaxEventsPerBatch);
    }

    /// <summary>Transactions the group commit has written so far (for tests and metrics).</summary>
    internal long BatchesWritten => _writer.BatchesWritten;

    public Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return writes.Count == 0 ? Task.FromResult<IReadOnlyList<Exception?>>([]) : _writer.EnqueueAsync(writes, null);
    }

    private Task WriteBatchAsync(IReadOnlyList<BatchWrite> batch) => _database.WriteAsync(connection =>
    {
        var outcomes = new Exception?[batch.Count];
        var failedIds = new HashSet<string>(StringComparer.Ordinal);
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = SqliteSchema.Insert;
            var parameters = new[]
            {
                insert.Parameters.Add("$pid", SqliteType.Text), insert.Parameters.Add("$seq", SqliteType.Integer),
                insert.Parameters.Add("$created", SqliteType.Integer), insert.Parameters.Add("$manifest", SqliteType.Text),
                insert.Parameters.Add("$payload", SqliteType.Blob), insert.Parameters.Add("$tags", SqliteType.Text),
                insert.Parameters.Add("$writer", SqliteType.Text),
            };
            insert.Prepare();
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i].PersistenceIds.Overlaps(failedIds))
                {
                    // A later write of an id whose earlier write failed would leave a gap: it fails too.
                    outcomes[i] = new InvalidOperationException("An earlier write of the same persistence id failed in this batch");
                    continue;
                }
                transaction.Save("w");
                try
                {
                    InsertAll(insert, parameters, batch[i].Writes);
                    transaction.Release("w");
                }
                catch (SqliteException ex)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    outcomes[i] = Classify(ex, batch[i]);
                    failedIds.UnionWith(batch[i].PersistenceIds);
                }
            }
            // Durable when Commit returns (WAL, synchronous=FULL); if it throws, nothing of the batch is stored.
            transaction.Commit();
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Succeed();
            }
        }
        return 0;
    });

    private static void InsertAll(SqliteCommand insert, SqliteParameter[] p, IReadOnlyList<AtomicWrite> writes)
    {
        foreach (var write in writes)
        {
            foreach (var repr in write.Payload)
            {
                p[0].Value = repr.PersistenceId;
                p[1].Value = repr.SequenceNr;
                p[2].Value = repr.Timestamp;
                p[3].Value = repr.Manifest;
                p[4].Value = repr.Payload;
                p[5].Value = (object?)TagCodec.Encode(repr.Tags) ?? DBNull.Value;
                p[6].Value = repr.WriterUuid;
                insert.ExecuteNonQuery();
            }
        }
    }

    private static Exception Classify(SqliteException ex, BatchWrite call) => ex.SqliteErrorCode == SqliteConstraint
        ? new JournalConflictException(call.Writes[0].PersistenceId, call.Writes[0].LowestSequenceNr, ex)
        : ex;

    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recoveryCallback);
        return _database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Replay;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$from", fromSequenceNr);
            command.Parameters.AddWithValue("$to", toSequenceNr);
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                recoveryCallback(new PersistentRepr(persistenceId, reader.GetInt64(0), reader.GetString(2), (byte[])reader.GetValue(3),
                    TagCodec.Decode(reader.IsDBNull(4) ? null : reader.GetString(4)), reader.GetString(5), reader.GetInt64(1)));
            }
            return 0;
        });
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        await _writer.WhenWrittenAsync(persistenceId).ConfigureAwait(false);
        return await _database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Highest;
            command.Parameters.AddWithValue("$pid", persistenceId);
            return (long)command.ExecuteScalar()!;
        }).ConfigureAwait(false);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        await _writer.WhenWrittenAsync(persistenceId).ConfigureAwait(false);
        await _database.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SqliteSchema.DeleteTo;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$to", toSequenceNr);
            command.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        }).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<JournalEvent> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr,
        long toSequenceNr, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = fromSequenceNr;
        while (true)
        {
            var page = await QueryPageAsync(SqliteSchema.EventsByPersistenceId, command =>
            {
                command.Parameters.AddWithValue("$pid", persistenceId);
                command.Parameters.AddWithValue("$from", from);
                command.Parameters.AddWithValue("$to", toSequenceNr);
            }).ConfigureAwait(false);
            foreach (var item in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            from = page[^1].Event.SequenceNr + 1;
        }
    }

    public async IAsyncEnumerable<JournalEvent> CurrentEventsByTagAsync(string tag, long afterOrdering,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = afterOrdering;
        while (true)
        {
            var page = await QueryPageAsync(SqliteSchema.EventsByTag, command =>
            {
                command.Parameters.AddWithValue("$pattern", TagCodec.LikePattern(tag));
                command.Parameters.AddWithValue("$after", after);
            }).ConfigureAwait(false);
            foreach (var item in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            after = page[^1].Ordering;
        }
    }

    private Task<List<JournalEvent>> QueryPageAsync(string sql, Action<SqliteCommand> bind) => _database.ReadAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        command.Parameters.AddWithValue("$limit", PageSize);
        using var reader = command.ExecuteReader();
        var page = new List<JournalEvent>();
        while (reader.Read())
        {
            page.Add(new JournalEvent(reader.GetInt64(0), new PersistentRepr(reader.GetString(1), reader.GetInt64(2), reader.GetString(4),
                (byte[])reader.GetValue(5), TagCodec.Decode(reader.IsDBNull(6) ? null : reader.GetString(6)), reader.GetString(7), reader.GetInt64(3))));
        }
        return page;
    });

    /// <summary>Finishes the writes already queued; the database itself is closed by its owner.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
