using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;
using ActorRecorder.Persistence.Sql.Sqlite;
using ActorRecorder.Persistence.Tests.Journal;
using ActorRecorder.Persistence.Tests.Snapshot;

namespace ActorRecorder.Persistence.Tests.Sql;

public sealed class SqliteJournalSpecs : JournalSpec, IDisposable
{
    private readonly TempDirectory _directory = new();
    private SqlitePersistence? _persistence;

    protected override Task<IJournal> CreateJournalAsync()
    {
        _persistence = new SqlitePersistence(SqliteOptions.InDataDirectory(_directory.Path));
        return Task.FromResult<IJournal>(_persistence.Journal);
    }

    protected override async Task DisposeJournalAsync(IJournal journal) => await _persistence!.DisposeAsync();

    public void Dispose() => _directory.Dispose();
}

public sealed class SqliteSnapshotStoreSpecs : SnapshotStoreSpec, IDisposable
{
    private readonly TempDirectory _directory = new();
    private SqlitePersistence? _persistence;

    protected override Task<ISnapshotStore> CreateStoreAsync()
    {
        _persistence = new SqlitePersistence(SqliteOptions.InDataDirectory(_directory.Path));
        return Task.FromResult<ISnapshotStore>(_persistence.SnapshotStore);
    }

    protected override async Task DisposeStoreAsync(ISnapshotStore store) => await _persistence!.DisposeAsync();

    public void Dispose() => _directory.Dispose();
}
