using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using ActorRecorder.ClusterLab;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ActorRecorder.Host.Tests.Journal;

/// <summary>
/// A channel that moves from node A to node B and back to A: its journal history was written by A, B, then A again.
/// The SQL journal stamps rows with one writer id per node process, so Akka's replay filter took A's second run for a
/// split brain's "old writer" and dropped those events on replay (found by the cluster benchmark: a channel that came
/// back to a node lost its newest events). Every event must come back, in order, wherever the channel replays.
/// </summary>
public sealed class MovingWriterSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_channel_that_returns_to_a_node_it_ran_on_must_replay_every_event()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var journal = new JournalSettings(JournalKind.Postgres, "unused.db", database.ConnectionString);
        await JournalSetup.PrepareAsync(journal);
        using var nodeA = await StartAsync(journal);
        using var nodeB = await StartAsync(journal);

        await WriteAsync(nodeA, 1, 2);
        await WriteAsync(nodeB, 3, 4);
        await WriteAsync(nodeA, 5, 6); // back on A

        var writers = await WritersAsync(database.ConnectionString);
        Assert.Equal(3, writers.Count(w => w.Changed)); // A, B, A: the history this spec is about
        Assert.Equal(writers[0].Writer, writers[^1].Writer);

        long[] all = [1, 2, 3, 4, 5, 6];
        Assert.Equal(all, await ReplayAsync(nodeB));
        Assert.Equal(all, await ReplayAsync(nodeA));
    }

    private const string PersistenceId = "channel-moving";

    private static async Task<IHost> StartAsync(JournalSettings journal)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka("moving", akka => akka
            .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
            .WithRecorderJournal(journal));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>An incarnation of the channel on <paramref name="node"/> persists the given sequence numbers' events, then stops.</summary>
    private static async Task WriteAsync(IHost node, params long[] numbers)
    {
        var system = node.Services.GetRequiredService<ActorSystem>();
        var writer = system.ActorOf(Props.Create(() => new Writer()));
        foreach (var number in numbers)
        {
            Assert.Equal(number, await writer.Ask<long>(Event(number), TimeSpan.FromSeconds(10)));
        }
        await writer.GracefulStop(TimeSpan.FromSeconds(10));
    }

    /// <summary>A new incarnation on <paramref name="node"/> replays: the sequence numbers its events carry.</summary>
    private static async Task<long[]> ReplayAsync(IHost node)
    {
        var system = node.Services.GetRequiredService<ActorSystem>();
        var writer = system.ActorOf(Props.Create(() => new Writer()));
        var replayed = await writer.Ask<long[]>(Replayed.Instance, TimeSpan.FromSeconds(10));
        await writer.GracefulStop(TimeSpan.FromSeconds(10));
        return replayed;
    }

    private static SegmentRecorded Event(long number) =>
        new("s", 1, $"/rec/moving/s/a001-{number:00000}.ts", TimeSpan.FromSeconds(2), number, false, DateTimeOffset.UnixEpoch);

    /// <summary>Each row's writer id, in sequence order, and whether it differs from the row before.</summary>
    private static async Task<List<(string Writer, bool Changed)>> WritersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT writer_uuid FROM journal WHERE persistence_id = @id ORDER BY sequence_number", connection);
        command.Parameters.AddWithValue("id", PersistenceId);
        var writers = new List<(string, bool)>();
        string? previous = null;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var writer = reader.GetString(0);
            writers.Add((writer, writer != previous));
            previous = writer;
        }
        return writers;
    }

    private sealed class Replayed
    {
        public static readonly Replayed Instance = new();
    }

    private sealed class Writer : ReceivePersistentActor
    {
        private readonly List<long> _replayed = [];

        public Writer()
        {
            Recover<SegmentRecorded>(e => _replayed.Add(e.Bytes));
            Command<SegmentRecorded>(e => Persist(e, persisted => Sender.Tell(persisted.Bytes)));
            Command<Replayed>(_ => Sender.Tell(_replayed.ToArray()));
        }

        public override string PersistenceId => MovingWriterSpecs.PersistenceId;
    }
}
