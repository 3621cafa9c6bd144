using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Journal;
using LinqToDB.Data;

namespace ActorRecorder.Host.Tests.Journal;

public sealed class JournalSetupSpecs : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ar-journal-");

    private string DatabasePath => Path.Combine(_root.FullName, "data", "journal.db");

    [Fact(Timeout = 30_000)]
    public async Task Every_journal_connection_must_run_in_WAL_mode_with_every_commit_fsynced()
    {
        await JournalSetup.PrepareAsync(new JournalSettings(JournalKind.Sqlite, DatabasePath, null));

        // The connections Akka.Persistence.Sql opens come from these options.
        using var connection = new DataConnection(JournalSetup.SqliteDataOptions(DatabasePath));
        Assert.Equal("wal", connection.Execute<string>("PRAGMA journal_mode"));
        Assert.Equal(2, connection.Execute<long>("PRAGMA synchronous")); // FULL
        Assert.Equal(30_000, connection.Execute<long>("PRAGMA busy_timeout")); // set by our hook, not SQLite's default of 0
    }

    [Fact(Timeout = 30_000)]
    public async Task A_second_lock_on_one_journal_must_be_refused_until_the_first_is_released()
    {
        var journal = new JournalSettings(JournalKind.Sqlite, DatabasePath, null);
        await JournalSetup.PrepareAsync(journal);
        using (await JournalLock.AcquireAsync(journal))
        {
            var refused = await Assert.ThrowsAsync<JournalRefusedException>(() => JournalLock.AcquireAsync(journal));
            Assert.Contains(DatabasePath, refused.Message);
        }
        using var again = await JournalLock.AcquireAsync(journal);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
