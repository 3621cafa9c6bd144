using ActorRecorder.ClusterLab;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.CrashHost;
using ActorRecorder.Host.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Journal;

/// <summary>
/// A child process persists channel events through the node's own journal setup (Akka.Persistence.Sql, our
/// serializer, SQLite in WAL mode with synchronous = FULL, or PostgreSQL) as fast as it can and prints each
/// acknowledged sequence number; the test SIGKILLs it at a seeded random moment — before recovery, right after
/// it, or after a random number of acks — then reads the journal table directly: every acknowledged event is
/// there, sequence numbers are contiguous from 1, each row is whole and in its place. The next round's host must
/// recover exactly what the journal holds and continue after it.
/// </summary>
public sealed class JournalCrashSpecs(ITestOutputHelper output)
{
    private const int Rounds = 20;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 300_000)]
    public async Task Acknowledged_events_must_survive_SIGKILL_of_a_SQLite_writer()
    {
        var directory = Directory.CreateTempSubdirectory("ar-crash-");
        try
        {
            var file = Path.Combine(directory.FullName, "journal.db");
            await RunRoundsAsync(["--journal", "sqlite", "--path", file], async pid =>
            {
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                await connection.OpenAsync();
                return await JournalReader.RowsAsync(connection, pid);
            }, seed: 4711);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Acknowledged_events_must_survive_SIGKILL_of_a_PostgreSQL_writer()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await RunRoundsAsync(["--journal", "postgres", "--conn", database.ConnectionString], async pid =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            return await JournalReader.RowsAsync(connection, pid);
        }, seed: 815);
    }

    private async Task RunRoundsAsync(string[] arguments, Func<string, Task<IReadOnlyList<(long SequenceNr, IChannelEvent Event)>>> readJournal, int seed)
    {
        var random = new Random(seed);
        var pid = "crash-writer";
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
            var acked = await RunUntilKilledAsync([.. arguments, "--pid", pid], durable, killAfter, round);
            var rows = await TryReadAsync(readJournal, pid);
            Verify(rows, acked, round);
            output.WriteLine($"round {round}: kill after {killAfter} acks; {acked.Count} acked; journal holds {rows.Count}");
            durable = rows.Count;
        }
        Assert.True(durable > 0, "no event was written in any round");
    }

    /// <summary>The tables do not exist until a host got as far as creating them.</summary>
    private static async Task<IReadOnlyList<(long SequenceNr, IChannelEvent Event)>> TryReadAsync(
        Func<string, Task<IReadOnlyList<(long SequenceNr, IChannelEvent Event)>>> readJournal, string pid)
    {
        try
        {
            return await readJournal(pid);
        }
        catch (Exception ex) when (ex is SqliteException { SqliteErrorCode: 1 } or PostgresException { SqlState: "42P01" })
        {
            return [];
        }
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

    private static void Verify(IReadOnlyList<(long SequenceNr, IChannelEvent Event)> rows, List<long> acked, int round)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = i + 1;
            Assert.True(rows[i].SequenceNr == expected, $"round {round}: row {i} holds sequence nr {rows[i].SequenceNr}, expected {expected} (gap or duplicate)");
            Assert.True(rows[i].Event is SegmentRecorded e && Counted.IsIntactAt(e, expected), $"round {round}: the event at {expected} is torn or misplaced");
        }
        if (acked.Count > 0)
        {
            Assert.True(rows.Count >= acked[^1], $"round {round}: {acked[^1]} was acknowledged but the journal holds only {rows.Count}");
        }
    }
}
