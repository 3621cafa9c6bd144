using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Tests.Journal;
using ActorRecorder.Persistence.Tests.Snapshot;

namespace ActorRecorder.Persistence.Tests.Sql;

public sealed class PostgreSqlJournalSpecs : JournalSpec
{
    private readonly string _schema = PostgresServer.NewSchemaName();
    private PostgreSqlPersistence? _persistence;

    protected override Task<IJournal> CreateJournalAsync()
    {
        _persistence = new PostgreSqlPersistence(new PostgreSqlOptions(PostgresServer.ConnectionString) { Schema = _schema });
        return Task.FromResult<IJournal>(_persistence.Journal);
    }

    protected override async Task DisposeJournalAsync(IJournal journal)
    {
        await _persistence!.DisposeAsync();
        await PostgresServer.DropSchemaAsync(_schema);
    }
}

public sealed class PostgreSqlSnapshotStoreSpecs : SnapshotStoreSpec
{
    private readonly string _schema = PostgresServer.NewSchemaName();
    private PostgreSqlPersistence? _persistence;

    protected override Task<ISnapshotStore> CreateStoreAsync()
    {
        _persistence = new PostgreSqlPersistence(new PostgreSqlOptions(PostgresServer.ConnectionString) { Schema = _schema });
        return Task.FromResult<ISnapshotStore>(_persistence.SnapshotStore);
    }

    protected override async Task DisposeStoreAsync(ISnapshotStore store)
    {
        await _persistence!.DisposeAsync();
        await PostgresServer.DropSchemaAsync(_schema);
    }
}
