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

    /// <summary>
    /// The renewal thread's own connections, used synchronously only: connecting gives up after 2 s (a healthy
    /// database answers in milliseconds; the next round tries again), and a statement that timed out is abandoned at
    /// once rather than waiting for PostgreSQL to confirm its cancellation.
    /// </summary>
    private readonly NpgsqlDataSource _renewalSource;
    private readonly Thread _renewer;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _tableReady;

    public PostgresLeaseStore(string connectionString, ILoggingAdapter log)
    {
        Database = ConnectionStrings.Describe(connectionString, "connection-string");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _renewalSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 2,
            CancellationTimeout = -1,
            ApplicationName = "actorrecorder-lease-renewal",
        });
        _log = log;
        _renewer = new Thread(() => RenewLoop(_stopping.Token)) { IsBackground = true, Name = "lease-renewal" };
        _renewer.Start();
        new Thread(() => ExpiryLoop(_stopping.Token)) { IsBackground = true, Name = "lease-expiry" }.Start();
    }

    /// <summary>"host:port/database": what log lines and errors may say about the database.</summary>
    public string Database { get; }

    /// <summary>The Stopwatch timestamp of the first lease statement that failed since the last one that succeeded; 0 while none has.</summary>
    private long _failingSince;

    /// <summary>How many lease statements in a row have failed (acquires, releases, renewal rounds); under <see cref="_contact"/>.</summary>
    private int _failures;

    /// <summary>When the latest statement that succeeded was sent (Stopwatch); under <see cref="_contact"/>.</summary>
    private long _answeredSentAt;

    private readonly Lock _contact = new();

    /// <summary>Before this Stopwatch timestamp an acquire fails at once while the database is failing (see <see cref="TryStartAcquire"/>).</summary>
    private long _nextAcquire;

    /// <summary>1 while an acquire is let through to a failing database to see whether it answers again.</summary>
    private int _probing;

    /// <summary>How long every lease statement of this node has failed; zero while the last one succeeded (or none ran).</summary>
    public TimeSpan UnreachableFor => Volatile.Read(ref _failingSince) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>A lease statement sent at <paramref name="sentAt"/> (a Stopwatch timestamp) succeeded: the database answers this node.</summary>
    internal void Answered(long sentAt)
    {
        lock (_contact)
        {
            _answeredSentAt = Math.Max(_answeredSentAt, sentAt);
            Volatile.Write(ref _failingSince, 0);
            _failures = 0;
            _ridingSaid = 0;
        }
    }

    /// <summary>
    /// A lease statement sent at <paramref name="sentAt"/> (a Stopwatch timestamp) failed: an error, or no answer in time.
    /// The database counts as unreachable since the earliest failed statement sent after the last one that succeeded —
    /// since it was sent, not since it was given up on.
    /// </summary>
    internal void Unanswered(long sentAt)
    {
        lock (_contact)
        {
            if (sentAt < _answeredSentAt)
            {
                return; // older than an answer: says nothing about now
            }
            var since = Volatile.Read(ref _failingSince);
            Volatile.Write(ref _failingSince, since == 0 ? Math.Max(1, sentAt) : Math.Min(since, sentAt));
            _failures++;
            // Acquires back off while the database fails: 0.5 s doubling to 8 s, each spread by ±50 %, so the shards of every
            // node (a hundred each, retried every half second) do not all knock at once on a database that is coming back.
            var backoff = TimeSpan.FromMilliseconds(Math.Min(8000, 500 * Math.Pow(2, Math.Min(_failures - 1, 4))) * (0.5 + Random.Shared.NextDouble()));
            Volatile.Write(ref _nextAcquire, Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency));
        }
    }

    /// <summary>
    /// Whether an acquire may go to the database now: always while it answers; while it fails, one acquire at a time once
    /// the back-off has passed (a probe: its outcome decides for the others). Call <see cref="EndProbe"/> after a probe.
    /// </summary>
    internal bool TryStartAcquire(out bool probe)
    {
        probe = false;
        if (Volatile.Read(ref _failingSince) == 0)
        {
            return true;
        }
        probe = Stopwatch.GetTimestamp() >= Volatile.Read(ref _nextAcquire) && Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
        return probe;
    }

    internal void EndProbe() => Volatile.Write(ref _probing, 0);

    /// <summary>
    /// Whether the database answers a trivial query within <paramref name="timeout"/> (for a member asking whether this node
    /// reaches it); <paramref name="fresh"/>: on a new connection (the pool's may be dead after a database restart).
    /// </summary>
    public async Task<bool> ProbeAsync(TimeSpan timeout, bool fresh = false)
    {
        if (fresh)
        {
            _dataSource.Clear();
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await BeforeAsync(async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                return await command.ExecuteScalarAsync(token).ConfigureAwait(false);
            }, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

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
        _stopping.Cancel(); // the renewal thread disposes its own connections as it ends
        _dataSource.Dispose();
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
