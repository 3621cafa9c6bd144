using System.Data;
using System.Runtime.CompilerServices;
using ActorRecorder.Persistence.Journal;
using Npgsql;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>Replay, highest sequence number, deletion and the current-events queries.</summary>
public sealed partial class PostgreSqlJournal
{
    private const int PageSize = 1000;

    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recoveryCallback);
        return _database.ReadAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(_database.Sql.Replay, connection);
            command.Parameters.AddWithValue("pid", persistenceId);
            command.Parameters.AddWithValue("from", fromSequenceNr);
            command.Parameters.AddWithValue("to", toSequenceNr);
            command.Parameters.AddWithValue("max", max);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var sequenceNr = reader.GetInt64(0);
                var created = reader.GetInt64(1);
                var manifest = reader.GetString(2);
                var payload = reader.GetFieldValue<byte[]>(3);
                var tags = reader.IsDBNull(4) ? null : reader.GetString(4);
                var writer = reader.GetString(5);
                recoveryCallback(new PersistentRepr(persistenceId, sequenceNr, manifest, payload, TagCodec.Decode(tags), writer, created));
            }
            return 0;
        }, cancellationToken);
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        await _writer.WhenWrittenAsync(persistenceId).ConfigureAwait(false);
        return await _database.ReadAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(_database.Sql.Highest, connection);
            command.Parameters.AddWithValue("pid", persistenceId);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        await _writer.WhenWrittenAsync(persistenceId).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands = { Command(_database.Sql.DeleteTo), Command(_database.Sql.MarkDeleted) },
                };
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        NpgsqlBatchCommand Command(string sql)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("pid", persistenceId);
            command.Parameters.AddWithValue("to", toSequenceNr);
            return command;
        }
    }

    public async IAsyncEnumerable<JournalEvent> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr,
        long toSequenceNr, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = fromSequenceNr;
        while (true)
        {
            var page = await QueryPageAsync(_database.Sql.EventsByPersistenceId, command =>
            {
                command.Parameters.AddWithValue("pid", persistenceId);
                command.Parameters.AddWithValue("from", from);
                command.Parameters.AddWithValue("to", toSequenceNr);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page)
            {
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
            var page = await QueryPageAsync(_database.Sql.EventsByTag, command =>
            {
                command.Parameters.AddWithValue("pattern", TagCodec.LikePattern(tag));
                command.Parameters.AddWithValue("after", after);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page)
            {
                yield return item;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            after = page[^1].Ordering;
        }
    }

    private Task<List<JournalEvent>> QueryPageAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) =>
        _database.ReadAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            bind(command);
            command.Parameters.AddWithValue("limit", PageSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var page = new List<JournalEvent>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(new JournalEvent(reader.GetInt64(0), new PersistentRepr(reader.GetString(1), reader.GetInt64(2), reader.GetString(4),
                    reader.GetFieldValue<byte[]>(5), TagCodec.Decode(reader.IsDBNull(6) ? null : reader.GetString(6)), reader.GetString(7),
                    reader.GetInt64(3))));
            }
            return page;
        }, cancellationToken);
}
