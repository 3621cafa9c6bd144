using System.Diagnostics;
using Akka.Event;
using Npgsql;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// The <c>akka_lease</c> table of one database, shared by every <see cref="PostgresLease"/> of an actor system on that
/// database (<see cref="PostgresLeaseStores"/>). Each statement below is one atomic statement; expiry is judged by the
/// database's <c>now()</c>, so the nodes' clocks never matter. Renewal: one statement per round renews every lease the
/// system holds (see PostgresLeaseStore.Renewal.cs).
/// </summary>
internal sealed partial class PostgresLeaseStore : IDisposable
{
    /// <summary>The version is drawn from a sequence, so a row deleted and taken again never repeats an earlier version.</summary>
    private const string CreateSql = """
        CREATE SEQUENCE IF NOT EXISTS akka_lease_version;
        CREATE TABLE IF NOT EXISTS akka_lease (
            name text PRIMARY KEY,
            holder text NOT NULL,
            version bigint NOT NULL,
            expires_at timestamptz NOT NULL
        );
        """;

    /// <summary>Takes the row if it is free, expired or already ours; returns its new version, or no row when another owner holds it.</summary>
    private const string AcquireSql = """
        INSERT INTO akka_lease AS l (name, holder, version, expires_at)
        VALUES (@name, @holder, nextval('akka_lease_version'), now() + @ttl)
        ON CONFLICT (name) DO UPDATE
            SET holder = excluded.holder, version = excluded.version, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at <= now()
        RETURNING l.version
        """;

    /// <summary>Deletes the row if it is still the one our acquire wrote.</summary>
    private const string ReleaseSql = "DELETE FROM akka_lease WHERE name = @name AND holder = @holder AND version = @version";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _tableReady;

    public PostgresLeaseStore(string connectionString, ILoggingAdapter log)
    {
        Database = ConnectionStrings.Describe(connectionString, "connection-string");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _log = log;
        _renewals = Task.Run(() => RenewLoopAsync(_stopping.Token));
    }

    /// <summary>"host:port/database": what log lines and errors may say about the database.</summary>
    public string Database { get; }

    /// <summary>
    /// Takes the lease for <paramref name="holder"/> if it is free, expired or already theirs, for <paramref name="ttl"/>
    /// from the database's now. Creates the table on first use.
    /// </summary>
    /// <returns>The row's new version and when (Stopwatch) the statement was sent; no version when another owner holds it.</returns>
    public async Task<(long? Version, long StartedAt)> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_tableReady)
        {
            await CreateTableAsync(connection, cancellationToken).ConfigureAwait(false);
            _tableReady = true;
        }
        await using var command = new NpgsqlCommand(AcquireSql, connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("ttl", ttl);
        // Taken before the statement is sent, so it is no later than the database's now() that sets the expiry.
        var startedAt = Stopwatch.GetTimestamp();
        var version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (version as long?, startedAt);
    }

    /// <summary>Deletes the row if <paramref name="holder"/> still holds it at <paramref name="version"/>.</summary>
    /// <returns>Whether a row was deleted.</returns>
    public async Task<bool> ReleaseAsync(string name, string holder, long version, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ReleaseSql, connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> and gives up when <paramref name="deadline"/> fires, even if the driver does not
    /// (Npgsql may wait for a cancellation request to an unreachable server): the abandoned operation's failure is observed.
    /// </summary>
    /// <exception cref="TimeoutException">The deadline fired first.</exception>
    public static async Task<T> BeforeAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken deadline)
    {
        var task = operation(deadline);
        try
        {
            return await task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new TimeoutException("PostgreSQL did not answer before the deadline", e);
        }
    }

    /// <summary>Stops renewing (the rows are left to expire, as if the process had died) and closes the connections.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        _ = _renewals.ContinueWith(_ => _dataSource.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public override string ToString() => $"PostgresLeaseStore({Database})";

    /// <summary>
    /// Two nodes creating the table at once can collide in PostgreSQL's catalog even with IF NOT EXISTS (a unique
    /// violation or "already exists"); the loser tries again and then finds it.
    /// </summary>
    private static async Task CreateTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = new NpgsqlCommand(CreateSql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (attempt < 3 && e.SqlState is PostgresErrorCodes.UniqueViolation
                                                  or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
            {
            }
        }
    }
}
