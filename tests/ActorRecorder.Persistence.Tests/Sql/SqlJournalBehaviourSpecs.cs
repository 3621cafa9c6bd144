using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Snapshot;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;
using Microsoft.Data.Sqlite;

namespace ActorRecorder.Persistence.Tests.Sql;

public sealed class SqliteJournalBehaviourSpecs : SqlJournalBehaviourSpec
{
    private readonly TempDirectory _directory = new();

    private SqliteOptions Options => SqliteOptions.InDataDirectory(_directory.Path);

    protected override (IJournal Journal, ISnapshotStore Store, IAsyncDisposable Owner) Open()
    {
        var persistence = new SqlitePersistence(Options);
        return (persistence.Journal, persistence.SnapshotStore, persistence);
    }

    protected override long BatchesWritten(IJournal journal) => ((SqliteJournal)journal).BatchesWritten;

    protected override Task SetSchemaVersionAsync(int version)
    {
        using var connection = new SqliteConnection($"Data Source={Options.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE persistence_schema_version SET version = {version}";
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    protected override void Shutdown()
    {
        base.Shutdown();
        _directory.Dispose();
    }
}

public sealed class PostgreSqlJournalBehaviourSpecs : SqlJournalBehaviourSpec
{
    private readonly string _schema = PostgresServer.NewSchemaName();

    protected override (IJournal Journal, ISnapshotStore Store, IAsyncDisposable Owner) Open()
    {
        var persistence = new PostgreSqlPersistence(new PostgreSqlOptions(PostgresServer.ConnectionString) { Schema = _schema });
        return (persistence.Journal, persistence.SnapshotStore, persistence);
    }

    protected override long BatchesWritten(IJournal journal) => ((PostgreSqlJournal)journal).BatchesWritten;

    protected override Task SetSchemaVersionAsync(int version) =>
        PostgresServer.ExecuteAsync($"""UPDATE "{_schema}".persistence_schema_version SET version = {version}""");

    protected override void Shutdown()
    {
        base.Shutdown();
        PostgresServer.DropSchemaAsync(_schema).GetAwaiter().GetResult();
    }
}
