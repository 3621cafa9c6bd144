using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>
/// The embedded default: a journal and a snapshot store in one SQLite file. Open it once per
/// process, hand <see cref="ToSettings"/> to <c>UsePersistence</c>, and dispose it after the actor
/// system terminated (queued writes are finished first).
/// </summary>
public sealed class SqlitePersistence : IAsyncDisposable
{
    private readonly SqliteDatabase _database;

    public SqlitePersistence(SqliteOptions options)
    {
        _database = new SqliteDatabase(options);
        Journal = new SqliteJournal(_database);
        SnapshotStore = new SqliteSnapshotStore(_database);
    }

    public SqliteJournal Journal { get; }

    public SqliteSnapshotStore SnapshotStore { get; }

    public PersistenceSettings ToSettings(EventSerializer serializer) => new(Journal, SnapshotStore, serializer);

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
