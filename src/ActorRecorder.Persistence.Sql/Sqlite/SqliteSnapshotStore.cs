using ActorRecorder.Persistence.Snapshot;
using Microsoft.Data.Sqlite;

namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>The SQLite snapshot store (see <see cref="ISnapshotStore"/>); each call is one statement, atomic and durable on return.</summary>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private readonly SqliteDatabase _database;

    internal SqliteSnapshotStore(SqliteDatabase database) => _database = database;

    public Task SaveAsync(SelectedSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return _database.WriteAsync(connection => Execute(connection, SqliteSchema.SaveSnapshot, command =>
        {
            command.Parameters.AddWithValue("$pid", snapshot.Metadata.PersistenceId);
            command.Parameters.AddWithValue("$seq", snapshot.Metadata.SequenceNr);
            command.Parameters.AddWithValue("$created", snapshot.Metadata.Timestamp);
            command.Parameters.AddWithValue("$manifest", snapshot.Manifest);
            command.Parameters.AddWithValue("$snapshot", snapshot.Snapshot);
        }));
    }

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return _database.ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.LoadSnapshot;
            BindCriteria(command, persistenceId, criteria);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new SelectedSnapshot(new SnapshotMetadata(persistenceId, reader.GetInt64(0), reader.GetInt64(1)), reader.GetString(2), (byte[])reader.GetValue(3))
                : null;
        });
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return _database.WriteAsync(connection => Execute(connection, SqliteSchema.DeleteSnapshot, command =>
        {
            command.Parameters.AddWithValue("$pid", metadata.PersistenceId);
            command.Parameters.AddWithValue("$seq", metadata.SequenceNr);
        }));
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return _database.WriteAsync(connection => Execute(connection, SqliteSchema.DeleteSnapshots, command => BindCriteria(command, persistenceId, criteria)));
    }

    private static void BindCriteria(SqliteCommand command, string persistenceId, SnapshotSelectionCriteria criteria)
    {
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$maxSeq", criteria.MaxSequenceNr);
        command.Parameters.AddWithValue("$minSeq", criteria.MinSequenceNr);
        command.Parameters.AddWithValue("$maxTs", criteria.MaxTimestamp);
        command.Parameters.AddWithValue("$minTs", criteria.MinTimestamp);
    }

    private static int Execute(SqliteConnection connection, string sql, Action<SqliteCommand> bind)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        return command.ExecuteNonQuery();
    }
}
