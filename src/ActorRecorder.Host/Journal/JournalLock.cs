using ActorRecorder.Engine.Settings;
using Npgsql;

namespace ActorRecorder.Host.Journal;

/// <summary>
/// One node per journal, unless the nodes form a cluster: a node holds this lock for as long as it runs. Two nodes on
/// one journal without a cluster between them would each run every channel — two recordings, two uploads, and a journal
/// both write to. SQLite: an exclusive lock on a file next to the database; PostgreSQL: a session advisory lock, which
/// the nodes of a cluster share (so a node started without the cluster's seed nodes is refused while they run, and the
/// other way round). Both go when the process does, however it ends (a SIGKILL included).
/// </summary>
public sealed class JournalLock : IDisposable
{
    /// <summary>An arbitrary constant: "AR-NODE".</summary>
    private const long AdvisoryKey = 0x4152_2d4e_4f44_45;

    private readonly IDisposable _held;

    private JournalLock(IDisposable held) => _held = held;

    /// <param name="clustered">The node is one of a cluster (PostgreSQL only): it shares the lock with the cluster's other nodes.</param>
    /// <exception cref="JournalRefusedException">Another node holds the journal.</exception>
    public static async Task<JournalLock> AcquireAsync(JournalSettings journal, bool clustered = false, CancellationToken cancellationToken = default)
    {
        if (journal.Kind == JournalKind.Sqlite)
        {
            var path = journal.SqlitePath + ".lock";
            try
            {
                return new JournalLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                throw new JournalRefusedException(
                    $"another node is running on {journal.SqlitePath} (it holds {path}); one journal serves one node: stop that node, or give this one its own data-dir");
            }
        }
        var connection = new NpgsqlConnection(journal.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {(clustered ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock")}({AdvisoryKey})", connection);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new JournalRefusedException(clustered
                ? $"a node that is not in a cluster is running on the PostgreSQL database '{connection.Database}': stop it (or give it the cluster's seed-nodes) before starting the cluster"
                : $"another node is running on the PostgreSQL database '{connection.Database}'; one journal serves one node unless the nodes form a cluster (actor-recorder.cluster.seed-nodes): stop that node, give this one its own database, or configure both as a cluster");
        }
        return new JournalLock(connection);
    }

    public void Dispose() => _held.Dispose();
}
