using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>
/// One SQLite file shared by the journal and the snapshot store: a single writer connection (SQLite
/// allows one writer at a time; a gate serializes its use) in WAL mode with <c>synchronous=FULL</c>,
/// so a commit is durable when it returns, plus a pool of reader connections that read concurrently
/// with the writer. The schema is created by the first call; a failed start is retried by the next.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private static int s_nativeInitialized;

    private readonly SqliteOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private readonly SemaphoreSlim _readerSlots;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private SqliteConnection? _writer;
    private volatile bool _initialized;
    private bool _disposed;

    public SqliteDatabase(SqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Interlocked.Exchange(ref s_nativeInitialized, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
        }
        _options = options;
        _readerSlots = new SemaphoreSlim(options.MaxReaders, options.MaxReaders);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(options.FilePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
        }.ToString();
    }

    public SqliteOptions Options => _options;

    /// <summary>Runs <paramref name="work"/> on the writer connection, alone.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work)
    {
        await _writerGate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_writer ??= OpenWriter());
        }
        finally
        {
            _writerGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a reader connection (at most <c>MaxReaders</c> at a time).</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> work)
    {
        if (!_initialized)
        {
            await WriteAsync(static _ => 0).ConfigureAwait(false);
        }
        await _readerSlots.WaitAsync().ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_readers.TryTake(out connection))
            {
                connection = Open();
            }
            var result = work(connection);
            if (!_disposed)
            {
                _readers.Add(connection);
                connection = null;
            }
            return result;
        }
        finally
        {
            // A connection whose work threw is closed rather than reused in an unknown state.
            connection?.Dispose();
            _readerSlots.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private SqliteConnection OpenWriter()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.FilePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var connection = Open();
        try
        {
            // WAL: readers never block the writer; FULL: the WAL is fsynced at every commit.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            using var transaction = connection.BeginTransaction();
            Execute(connection, SqliteSchema.CreateVersionTable, transaction);
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = SqliteSchema.ReadVersion;
            var version = read.ExecuteScalar() is long v ? v : 0;
            if (version == 0)
            {
                Execute(connection, SqliteSchema.CreateV1, transaction);
            }
            else if (version > SqliteSchema.Version)
            {
                throw new InvalidOperationException(
                    $"The persistence schema in [{_options.FilePath}] has version {version}; this build knows version {SqliteSchema.Version} at most");
            }
            transaction.Commit();
            _initialized = true;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _writerGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
            while (_readers.TryTake(out var reader))
            {
                reader.Dispose();
            }
        }
        finally
        {
            _writerGate.Release();
        }
    }
}
