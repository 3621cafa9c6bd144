using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;
using ActorRecorder.Persistence.Tests.Sql;
using Xunit.Abstractions;

namespace ActorRecorder.Persistence.Tests.Crash;

/// <summary>
/// A child process persists events as fast as it can and prints each acknowledged sequence number;
/// the test kills it with SIGKILL at a random (seeded) moment — before recovery, right after it, or
/// after a random number of acks — then reads the journal directly: every acknowledged event is
/// there, sequence numbers are contiguous from 1, each row is whole and in its place. The next round's
/// host must recover exactly what the journal holds and continue after it.
/// </summary>
public sealed class CrashSafetySpecs(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 180_000)]
    public async Task Acknowledged_events_must_survive_SIGKILL_of_a_SQLite_writer()
    {
        using var directory = new TempDirectory();
        var file = directory.File("crash.db");
        await RunRoundsAsync(["--journal", "sqlite", "--path", file], async () =>
        {
            await using var persistence = new SqlitePersistence(new SqliteOptions(file));
            return await ReadAllAsync(persistence.Journal);
        }, seed: 4711);
    }

    [Fact(Timeout = 180_000)]
    public async Task Acknowledged_events_must_survive_SIGKILL_of_a_PostgreSQL_writer()
    {
        var schema = PostgresServer.NewSchemaName();
        try
        {
            await RunRoundsAsync(["--journal", "postgres", "--conn", PostgresServer.ConnectionString, "--schema", schema], async () =>
            {
                await using var persistence = new PostgreSqlPersistence(new PostgreSqlOptions(PostgresServer.ConnectionString) { Schema = schema });
                return await ReadAllAsync(persistence.Journal);
            }, seed: 815);
        }
        finally
        {
            await PostgresServer.DropSchemaAsync(schema);
        }
    }

    private async Task RunRoundsAsync(string[] arguments, Func<Task<List<PersistentRepr>>> readJournal, int seed)
    {
        var random = new Random(seed);
        long durable = 0;
        for (var round = 1; round <= Rounds; round++)
        {
            // A quarter of the rounds kill before or right after recovery; the rest after 1..600 acks.
            var killAfter = random.Next(8) switch
            {
                0 => -1,
                1 => 0,
                _ => random.Next(1, 600),
            };
            var acked = await RunUntilKilledAsync(arguments, durable, killAfter, round);
            var events = await readJournal();
            Verify(events, acked, round);
            output.WriteLine($"round {round}: kill after {killAfter} acks; {acked.Count} acked; journal holds {events.Count}");
            durable = events.Count;
        }
        Assert.True(durable > 0, "no event was written in any round");
    }

    /// <summary>Runs the host until it is killed; returns every sequence number it acknowledged.</summary>
    private static async Task<List<long>> RunUntilKilledAsync(string[] arguments, long durable, int killAfter, int round)
    {
        using var host = CrashHostProcess.Start(arguments);
        var acked = new List<long>();
        if (killAfter < 0)
        {
            await host.KillAsync();
        }
        var recovered = false;
        while (await host.ReadLineAsync(LineTimeout) is { } line)
        {
            if (line.StartsWith("RECOVERED ", StringComparison.Ordinal))
            {
                var highest = long.Parse(line["RECOVERED ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(highest == durable, $"round {round}: the host recovered up to {highest}, the journal held {durable}");
                recovered = true;
                if (killAfter == 0)
                {
                    await host.KillAsync();
                }
            }
            else if (line.StartsWith("ACK ", StringComparison.Ordinal))
            {
                Assert.True(recovered, $"round {round}: an ACK came before RECOVERED");
                var seq = long.Parse(line["ACK ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var expected = durable + acked.Count + 1;
                Assert.True(seq == expected, $"round {round}: acknowledged {seq} where {expected} was next");
                acked.Add(seq);
                if (acked.Count == killAfter)
                {
                    // Lines already written before the kill are still read below: they were acknowledged too.
                    await host.KillAsync();
                }
            }
            else
            {
                Assert.Fail($"round {round}: the host wrote [{line}]; stderr: {host.Stderr}");
            }
        }
        await host.KillAsync();
        return acked;
    }

    private static void Verify(List<PersistentRepr> events, List<long> acked, int round)
    {
        var serializer = CountedEvent.Serializer();
        for (var i = 0; i < events.Count; i++)
        {
            var expected = i + 1;
            Assert.True(events[i].SequenceNr == expected, $"round {round}: row {i} holds sequence nr {events[i].SequenceNr}, expected {expected} (gap or duplicate)");
            var counted = (CountedEvent)serializer.Deserialize(events[i].Manifest, events[i].Payload);
            Assert.True(counted.IsIntactAt(expected), $"round {round}: the event at {expected} is torn or misplaced: seq {counted.Seq}, filler {counted.Filler.Length} chars");
        }
        if (acked.Count > 0)
        {
            Assert.True(events.Count >= acked[^1], $"round {round}: {acked[^1]} was acknowledged but the journal holds only {events.Count}");
        }
    }

    private static async Task<List<PersistentRepr>> ReadAllAsync(IJournal journal)
    {
        var events = new List<PersistentRepr>();
        await journal.ReplayMessagesAsync("crash-writer", 1, long.MaxValue, long.MaxValue, events.Add);
        return events;
    }
}
