using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.Batching;
using Npgsql;
using NpgsqlTypes;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>
/// The PostgreSQL journal (see <see cref="IJournal"/> for the contract). Writes from all actors are
/// group-committed: one INSERT of every pending event per transaction. With a write guard, the
/// batch's distinct conditions are checked in the same transaction first; writes whose condition
/// fails are left out and fail with <see cref="WriteGuardRejectedException"/>. When a batch fails as
/// a whole (e.g. one writer's sequence number is taken), each call is retried alone, so only the
/// guilty one fails — and after it, later calls of the same persistence id in that batch.
/// </summary>
public sealed partial class PostgreSqlJournal : IJournal, IAsyncDisposable
{
    private const string UniqueViolation = "23505";

    private readonly PostgreSqlDatabase _database;
    private readonly GroupCommitWriter _writer;

    internal PostgreSqlJournal(PostgreSqlDatabase database)
    {
        _database = database;
        _writer = new GroupCommitWriter(WriteBatchAsync, database.Options.MaxEventsPerBatch);
    }

    /// <summary>Transactions the group commit has written so far (for tests and metrics).</summary>
    internal long BatchesWritten => _writer.BatchesWritten;

    public Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Exception?>>([]);
        }
        // The condition is taken when the write is issued: it fences what the writer believed then.
        var condition = _database.Options.WriteGuard?.ConditionFor(writes[0].PersistenceId);
        return _writer.EnqueueAsync(writes, condition);
    }

    private async Task WriteBatchAsync(IReadOnlyList<BatchWrite> batch)
    {
        try
        {
            Complete(batch, await WriteTogetherAsync(batch).ConfigureAwait(false));
            return;
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            batch[0].Fail(Classify(ex, batch[0]));
            return;
        }
        catch (Exception)
        {
            // Fall through: find the guilty call by writing each alone.
        }
        var failedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in batch)
        {
            if (call.PersistenceIds.Overlaps(failedIds))
            {
                call.Fail(new InvalidOperationException("An earlier write of the same persistence id failed in this batch"));
                continue;
            }
            try
            {
                Complete([call], await WriteTogetherAsync([call]).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                call.Fail(Classify(ex, call));
            }
            if (call.Completion.IsFaulted)
            {
                failedIds.UnionWith(call.PersistenceIds);
            }
        }
    }

    private static void Complete(IReadOnlyList<BatchWrite> calls, Exception?[] outcomes)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            if (outcomes[i] is { } failure)
            {
                calls[i].Fail(failure);
            }
            else
            {
                calls[i].Succeed();
            }
        }
    }

    /// <summary>Writes the calls in one transaction; returns per call null (stored) or its guard refusal.</summary>
    private async Task<Exception?[]> WriteTogetherAsync(IReadOnlyList<BatchWrite> calls)
    {
        var outcomes = new Exception?[calls.Count];
        var connection = await _database.OpenAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var conditions = calls.Select(c => c.Context).OfType<WriteCondition>().DistinctBy(c => c.Key).ToList();
            if (conditions.Count == 0)
            {
                // A single statement is its own transaction: one round trip, durable when it returns.
                await InsertAsync(connection, calls).ConfigureAwait(false);
                return outcomes;
            }
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var refused = await CheckConditionsAsync(connection, conditions).ConfigureAwait(false);
                var allowed = new List<BatchWrite>(calls.Count);
                for (var i = 0; i < calls.Count; i++)
                {
                    if (calls[i].Context is WriteCondition condition && refused.Contains(condition.Key))
                    {
                        outcomes[i] = new WriteGuardRejectedException(calls[i].Writes[0].PersistenceId, condition);
                    }
                    else
                    {
                        allowed.Add(calls[i]);
                    }
                }
                if (allowed.Count > 0)
                {
                    await InsertAsync(connection, allowed).ConfigureAwait(false);
                }
                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
        return outcomes;
    }

    /// <summary>Runs every distinct condition in one round trip; returns the keys of those that returned no row.</summary>
    private static async Task<HashSet<string>> CheckConditionsAsync(NpgsqlConnection connection, List<WriteCondition> conditions)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var condition in conditions)
        {
            batch.BatchCommands.Add(condition.ToBatchCommand());
        }
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        var index = 0;
        do
        {
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                refused.Add(conditions[index].Key);
            }
            index++;
        }
        while (await reader.NextResultAsync().ConfigureAwait(false));
        return refused;
    }

    private async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<BatchWrite> calls)
    {
        var count = calls.Sum(c => c.EventCount);
        var pids = new string[count];
        var seqs = new long[count];
        var created = new long[count];
        var manifests = new string[count];
        var payloads = new byte[count][];
        var tags = new string?[count];
        var writers = new string[count];
        var row = 0;
        foreach (var call in calls)
        {
            foreach (var write in call.Writes)
            {
                foreach (var repr in write.Payload)
                {
                    pids[row] = repr.PersistenceId;
                    seqs[row] = repr.SequenceNr;
                    created[row] = repr.Timestamp;
                    manifests[row] = repr.Manifest;
                    payloads[row] = repr.Payload;
                    tags[row] = TagCodec.Encode(repr.Tags);
                    writers[row] = repr.WriterUuid;
                    row++;
                }
            }
        }
        await using var command = new NpgsqlCommand(_database.Sql.Insert, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("pids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = pids });
        command.Parameters.Add(new NpgsqlParameter<long[]>("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = seqs });
        command.Parameters.Add(new NpgsqlParameter<long[]>("created", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = created });
        command.Parameters.Add(new NpgsqlParameter<string[]>("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = manifests });
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = payloads });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = tags });
        command.Parameters.Add(new NpgsqlParameter<string[]>("writers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = writers });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static Exception Classify(Exception ex, BatchWrite call) => ex is PostgresException { SqlState: UniqueViolation }
        ? new JournalConflictException(call.Writes[0].PersistenceId, call.Writes[0].LowestSequenceNr, ex)
        : ex;

    /// <summary>Finishes the writes already queued; the data source is closed by its owner.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
