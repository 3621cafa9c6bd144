using Npgsql;

namespace ActorRecorder.Persistence.Tests.Sql;

/// <summary>
/// The PostgreSQL server the tests run against: <c>./build.sh test</c> starts a throwaway one and
/// passes its connection string in ACTORRECORDER_TEST_POSTGRES. Without it the PostgreSQL tests
/// fail (never skip). Each test gets a schema of its own.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "ACTORRECORDER_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run ./build.sh test, which starts a throwaway PostgreSQL server for the tests " +
                $"(or set {Variable} to the Npgsql connection string of a server you own)");

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task DropSchemaAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
}
