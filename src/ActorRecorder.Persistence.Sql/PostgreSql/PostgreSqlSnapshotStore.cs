using ActorRecorder.Persistence.Snapshot;
using Npgsql;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>The PostgreSQL snapshot store (see <see cref="ISnapshotStore"/>); each call is one statement, atomic and durable on return.</summary>
public sealed class PostgreSqlSnapshotStore : ISnapshotStore
{
    private readonly PostgreSqlDatabase _database;

    internal PostgreSqlSnapshotStore(PostgreSqlDatabase database) => _database = database;

    public Task SaveAsync(SelectedSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ExecuteAsync(_database.Sql.SaveSnapshot, command =>
        {
            command.Parameters.AddWithValue("pid", snapshot.Metadata.PersistenceId);
            command.Parameters.AddWithValue("seq", snapshot.Metadata.SequenceNr);
            command.Parameters.AddWithValue("created", snapshot.Metadata.Timestamp);
            command.Parameters.AddWithValue("manifest", snapshot.Manifest);
            command.Parameters.AddWithValue("snapshot", snapshot.Snapshot);
        }, cancellationToken);
    }

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return _database.ReadAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(_database.Sql.LoadSnapshot, connection);
            BindCriteria(command, persistenceId, criteria);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new SelectedSnapshot(new SnapshotMetadata(persistenceId, reader.GetInt64(0), reader.GetInt64(1)), reader.GetString(2),
                    reader.GetFieldValue<byte[]>(3))
                : null;
        }, cancellationToken);
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return ExecuteAsync(_database.Sql.DeleteSnapshot, command =>
        {
            command.Parameters.AddWithValue("pid", metadata.PersistenceId);
            command.Parameters.AddWithValue("seq", metadata.SequenceNr);
        }, cancellationToken);
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return ExecuteAsync(_database.Sql.DeleteSnapshots, command => BindCriteria(command, persistenceId, criteria), cancellationToken);
    }

    private static void BindCriteria(NpgsqlCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("pid", persistenceId);
        command.Parameters.AddWithValue("maxSeq", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("minSeq", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("maxTs", criteria.MaxTimestamp);
        command.Parameters.AddWithValue("minTs", criteria.MinTimestamp);
    }

    private async Task ExecuteAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            bind(command);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
