using System.Data.Common;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// Reads a channel's events straight from Akka.Persistence.Sql's journal table, as another process sees it
/// (the node may be running). Every row must have been written by our serializer.
/// </summary>
public static class JournalReader
{
    private const string Query = """
        SELECT sequence_number, manifest, message, identifier FROM journal
        WHERE persistence_id = @pid AND deleted = false ORDER BY sequence_number
        """;

    public static async Task<IReadOnlyList<IChannelEvent>> SqliteAsync(string path, string channelId)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
        if ((long)(await exists.ExecuteScalarAsync())! == 0)
        {
            return [];
        }
        return await ReadAsync(connection, channelId);
    }

    public static async Task<IReadOnlyList<IChannelEvent>> PostgresAsync(string connectionString, string channelId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            return await ReadAsync(connection, channelId);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return []; // the node has not created its tables yet
        }
    }

    /// <summary>A journal row as written: by which persistent actor incarnation (its writer uuid) and when (the writer's clock).</summary>
    public sealed record Write(string PersistenceId, long SequenceNr, string WriterUuid, DateTimeOffset Created, string Manifest);

    /// <summary>Every row of every channel in a PostgreSQL journal, in write order.</summary>
    public static async Task<IReadOnlyList<Write>> ChannelWritesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT persistence_id, sequence_number, writer_uuid, created, manifest FROM journal WHERE persistence_id LIKE 'channel-%' ORDER BY ordering",
            connection);
        var rows = new List<Write>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Write(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                reader.GetString(4)));
        }
        return rows;
    }

    /// <summary>Every sequence number of a persistence id, in order (to check that they are contiguous).</summary>
    public static async Task<IReadOnlyList<(long SequenceNr, IChannelEvent Event)>> RowsAsync(DbConnection connection, string persistenceId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@pid";
        parameter.Value = persistenceId;
        command.Parameters.Add(parameter);
        var rows = new List<(long, IChannelEvent)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var identifier = reader.GetInt32(3);
            Assert.True(identifier == RecorderSerializer.SerializerId, $"row {reader.GetInt64(0)} of {persistenceId} was written by serializer {identifier}, not ours");
            rows.Add((reader.GetInt64(0), (IChannelEvent)RecorderMessages.Catalog.Deserialize(reader.GetString(1), (byte[])reader[2])));
        }
        return rows;
    }

    private static async Task<IReadOnlyList<IChannelEvent>> ReadAsync(DbConnection connection, string channelId) =>
        (await RowsAsync(connection, "channel-" + channelId)).Select(r => r.Event).ToList();
}
