using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>
/// A journal and a snapshot store in PostgreSQL (the cluster's store). Create it once per process,
/// hand <see cref="ToSettings"/> to <c>UsePersistence</c>, and dispose it after the actor system
/// terminated (queued writes are finished first).
/// </summary>
public sealed class PostgreSqlPersistence : IAsyncDisposable
{
    private readonly PostgreSqlDatabase _database;

    public PostgreSqlPersistence(PostgreSqlOptions options)
    {
        _database = new PostgreSqlDatabase(options);
        Journal = new PostgreSqlJournal(_database);
        SnapshotStore = new PostgreSqlSnapshotStore(_database);
    }

    public PostgreSqlJournal Journal { get; }

    public PostgreSqlSnapshotStore SnapshotStore { get; }

    public PersistenceSettings ToSettings(EventSerializer serializer) => new(Journal, SnapshotStore, serializer);

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
