using System.Text.RegularExpressions;
using Npgsql;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>
/// The connection pool (an <see cref="NpgsqlDataSource"/>) and schema shared by the PostgreSQL journal
/// and snapshot store. The schema is created by the first call that needs it; a failed attempt is
/// retried by the next call.
/// </summary>
internal sealed partial class PostgreSqlDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly SemaphoreSlim _readSlots;
    private volatile bool _initialized;

    public PostgreSqlDatabase(PostgreSqlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException($"Invalid schema name [{options.Schema}]: use lower-case letters, digits and '_' (not first)", nameof(options));
        }
        Options = options;
        Sql = new PostgreSqlSchema(options.Schema);
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _readSlots = new SemaphoreSlim(options.MaxConcurrentReads, options.MaxConcurrentReads);
    }

    public PostgreSqlOptions Options { get; }

    public PostgreSqlSchema Sql { get; }

    /// <summary>An open connection from the pool, once the schema exists.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a read with one of the limited read slots, so a thousand recoveries do not exhaust the pool.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await _readSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await read(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            _readSlots.Release();
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, Sql.CreateVersionTable, cancellationToken).ConfigureAwait(false);
                    await using var read = new NpgsqlCommand(Sql.ReadVersion, connection);
                    var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                        System.Globalization.CultureInfo.InvariantCulture);
                    if (version == 0)
                    {
                        await ExecuteAsync(connection, Sql.CreateV1, cancellationToken).ConfigureAwait(false);
                    }
                    else if (version > PostgreSqlSchema.Version)
                    {
                        throw new InvalidOperationException(
                            $"The persistence schema [{Options.Schema}] has version {version}; this build knows version {PostgreSqlSchema.Version} at most");
                    }
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
