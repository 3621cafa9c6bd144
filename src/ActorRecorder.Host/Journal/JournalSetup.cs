using System.Data;
using System.Data.Common;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using ActorRecorder.Engine.Settings;
using LinqToDB;
using LinqToDB.DataProvider.SQLite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorRecorder.Host.Journal;

/// <summary>
/// The node's journal and snapshot store (Akka.Persistence.Sql): an SQLite file under data-dir by default,
/// PostgreSQL for a cluster; tables are created on first start. Events, snapshots and the sharding state
/// (coordinator and remembered entities) all live there.
/// </summary>
/// <remarks>
/// SQLite durability: the file runs in WAL mode (stored in the file, set before Akka opens it) and every
/// connection sets <c>synchronous = FULL</c> when it opens, so an event acknowledged by Persist was fsynced
/// and survives a SIGKILL or a power cut. SQLite has one writer: the journal writes from one connection at a time.
/// </remarks>
public static class JournalSetup
{
    /// <summary>The table the earlier built-in journal created; Akka.Persistence.Sql never does.</summary>
    private const string LegacyMarker = "persistence_schema_version";

    /// <summary>
    /// Makes the journal ready for Akka: refuses one written by the earlier built-in persistence, and turns on WAL
    /// for SQLite. Never creates Akka's tables (Akka does) and never changes a legacy journal.
    /// </summary>
    /// <exception cref="JournalRefusedException">The journal was written by the earlier built-in persistence.</exception>
    public static async Task PrepareAsync(JournalSettings journal, CancellationToken cancellationToken = default)
    {
        if (journal.Kind == JournalKind.Postgres)
        {
            await RefuseLegacyPostgresAsync(journal.PostgresConnectionString!, cancellationToken).ConfigureAwait(false);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(journal.SqlitePath)!);
        await using var connection = new SqliteConnection(SqliteConnectionString(journal.SqlitePath));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await ScalarAsync(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{LegacyMarker}'", cancellationToken)
                .ConfigureAwait(false) is long and > 0)
        {
            throw new JournalRefusedException(LegacyMessage($"the SQLite file {journal.SqlitePath}",
                $"move the file away (mv '{journal.SqlitePath}' '{journal.SqlitePath}.legacy', with its -wal and -shm files if present)"));
        }
        await ScalarAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the journal and snapshot store to the actor system, as its default persistence plugins.</summary>
    public static AkkaConfigurationBuilder WithRecorderJournal(this AkkaConfigurationBuilder builder, JournalSettings journal)
    {
        var (connectionString, provider, dataOptions) = journal.Kind == JournalKind.Postgres
            ? (WithStaleTransactionsEnded(journal.PostgresConnectionString!), ProviderName.PostgreSQL15, (DataOptions?)null)
            : (SqliteConnectionString(journal.SqlitePath), ProviderName.SQLiteMS, SqliteDataOptions(journal.SqlitePath));
        var journalOptions = new SqlJournalOptions(isDefaultPlugin: true)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
            DataOptions = dataOptions,
        };
        var snapshotOptions = new SqlSnapshotOptions(isDefaultPlugin: true)
        {
            ConnectionString = connectionString,
            ProviderName = provider,
            AutoInitialize = true,
            DataOptions = dataOptions,
        };
        builder.WithSqlPersistence(journalOptions, snapshotOptions);
        // Akka's replay filter drops the events of a writer that shows up again after another writer of the same
        // persistence id ("an old writer": a split brain on a journal without a unique sequence number). The SQL journal
        // stamps every row with its own writer id, one per node process, not one per actor: in a cluster, a channel that
        // moves from node A to node B and back to A has a history A, B, A, and the filter threw away A's newest events
        // on replay. The journal's unique (persistence id, sequence number) key already keeps every history linear, and
        // the shard leases keep one writer per channel; so the filter only ever discarded good events.
        builder.AddHocon("akka.persistence.journal.sql.replay-filter.mode = off", HoconAddMode.Prepend);
        if (journal.Kind == JournalKind.Sqlite)
        {
            // One writer at a time: SQLite takes one, and a busy retry only costs latency.
            builder.AddHocon("akka.persistence.journal.sql.parallelism = 1", HoconAddMode.Prepend);
        }
        return builder;
    }

    /// <summary>How long PostgreSQL keeps a journal session that sits inside a transaction before it ends it.</summary>
    public static readonly TimeSpan StaleTransactionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The journal's connection string with <c>idle_in_transaction_session_timeout</c> set for its sessions. A node cut off
    /// from the database (or frozen) between a write's INSERT and its COMMIT leaves a transaction open whose row locks
    /// (the unique (persistence id, sequence number) key) block the channel's next owner's write of the same sequence
    /// number until PostgreSQL notices the connection is dead — with the system's TCP keepalive, hours. A journal
    /// transaction lasts milliseconds, so one idle for 5 s is such a leftover: PostgreSQL ends it and the new owner's write
    /// goes on (measured: a cut-off node's open write held its channel's next owner for 48 s before this).
    /// </summary>
    public static string WithStaleTransactionsEnded(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={(long)StaleTransactionTimeout.TotalMilliseconds}".Trim();
        return builder.ConnectionString;
    }

    public static string SqliteConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Every connection the journal opens sets its durability first (a per-connection setting in SQLite).</summary>
    internal static DataOptions SqliteDataOptions(string path)
    {
        var connectionString = SqliteConnectionString(path);
        return new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseConnectionFactory(SQLiteTools.GetDataProvider(SQLiteProvider.Microsoft), _ =>
            {
                var connection = new SqliteConnection(connectionString);
                connection.StateChange += (_, change) =>
                {
                    if (change.CurrentState == ConnectionState.Open)
                    {
                        using var pragma = connection.CreateCommand();
                        pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
                        pragma.ExecuteNonQuery();
                    }
                };
                return connection;
            });
    }

    private static async Task RefuseLegacyPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await ScalarAsync(connection,
            $"SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = '{LegacyMarker}' AND c.relkind = 'r' LIMIT 1",
            cancellationToken).ConfigureAwait(false);
        if (found is string schema)
        {
            throw new JournalRefusedException(LegacyMessage($"the PostgreSQL database (schema \"{schema}\")",
                $"point actor-recorder.persistence.postgres.connection-string at a new database, or drop the earlier tables (\"{schema}\".journal, \"{schema}\".snapshot, \"{schema}\".{LegacyMarker})"));
        }
    }

    private static string LegacyMessage(string where, string howToStartEmpty) =>
        $"{where} holds a journal written by ActorRecorder's earlier built-in persistence, which this version (Akka.Persistence.Sql) cannot read; "
        + "nothing was changed. To start with an empty journal, " + howToStartEmpty + ": recordings already on disk stay where they are, "
        + "but sessions not yet delivered will not be delivered. Or keep running the earlier version until every session is delivered.";

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
