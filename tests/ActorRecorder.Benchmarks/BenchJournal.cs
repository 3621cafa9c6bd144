using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using Akka.Hosting;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// A node's channel events read straight from its SQLite file: Akka.Persistence.Sql's journal table, or the earlier
/// built-in journal's (a baseline build writes that one; its events have the same manifests).
/// </summary>
internal static class BenchJournal
{
    /// <summary>An actor system of its own on the node's journal setup (our serializer, the SQL journal), started: benchmarks write histories through it.</summary>
    public static async Task<IHost> StartHostAsync(JournalSettings journal, string name)
    {
        await JournalSetup.PrepareAsync(journal);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(name, akka => akka
            .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
            .WithRecorderJournal(journal));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<IReadOnlyList<IChannelEvent>> ReadAsync(string path, string channelId)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT name FROM pragma_table_info('journal')";
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await columns.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }
        if (names.Count == 0)
        {
            return [];
        }
        var (sequence, payload) = names.Contains("sequence_number") ? ("sequence_number", "message") : ("sequence_nr", "payload");
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT manifest, {payload} FROM journal WHERE persistence_id = $pid ORDER BY {sequence}";
        query.Parameters.AddWithValue("$pid", "channel-" + channelId);
        var events = new List<IChannelEvent>();
        await using var rows = await query.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            events.Add((IChannelEvent)RecorderMessages.Catalog.Deserialize(rows.GetString(0), (byte[])rows[1]));
        }
        return events;
    }
}
