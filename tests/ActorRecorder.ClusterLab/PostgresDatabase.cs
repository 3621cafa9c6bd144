using Npgsql;

namespace ActorRecorder.ClusterLab;

/// <summary>
/// The PostgreSQL server the tests run against: <c>./build.sh test</c> starts a throwaway one and passes its
/// connection string in ACTORRECORDER_TEST_POSTGRES. Without it the PostgreSQL tests fail, never skip. Each test
/// gets a database of its own, dropped afterwards.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "ACTORRECORDER_TEST_POSTGRES";

    private PostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The Npgsql connection string of the new database.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether a server is given (benchmarks measure PostgreSQL only then; tests fail without one).</summary>
    public static bool IsConfigured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };

    private static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run ./build.sh test, which starts a throwaway PostgreSQL server for the tests " +
                $"(or set {Variable} to the Npgsql connection string of a server you own)");

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(name, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
