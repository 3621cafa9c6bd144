using System.Diagnostics;
using ActorRecorder.Actors;
using ActorRecorder.Persistence;
using ActorRecorder.Persistence.Journal;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Persistent actors on SQLite and PostgreSQL (durable commits): Persist with 1 and 100 actors,
/// PersistAsync, recovery of 1,000,000 events across 1,000 actors, recovery from a snapshot plus 100
/// events — each next to the bare driver doing the same inserts (one transaction per batch).
/// PostgreSQL comes from ACTORRECORDER_TEST_POSTGRES (<c>./build.sh bench persistence</c> starts one).
/// </summary>
internal static class PersistenceBenchmark
{
    // Akka.Persistence.Sql's published PostgreSQL figures (events/s), the reference for the goal of twice as much.
    private const double AkkaPersist = 395, AkkaPersistAsync = 12_700, AkkaRecovery = 115_000;

    private sealed record Scale(int Persist1, int Persist100PerActor, int PersistAsync, int RecoveryActors, int RecoveryEventsPerActor);

    public static async Task Run(string[] args)
    {
        var scale = args.Contains("--quick") ? new Scale(500, 20, 5_000, 100, 1_000) : new Scale(3_000, 200, 50_000, 1_000, 1_000);
        Report.Note($"{Environment.ProcessorCount} cores; durable commits (SQLite WAL + synchronous=FULL, PostgreSQL fsync on)");
        var directory = Path.Combine(Path.GetTempPath(), "ar-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using (var sqlite = new SqlitePersistence(new SqliteOptions(Path.Combine(directory, "journal.db"))))
            {
                await RunBackend("sqlite", sqlite.ToSettings(BenchEvent.Serializer()), scale,
                    (batches, size) => PersistenceRawBaseline.SqliteInsertsAsync(Path.Combine(directory, $"raw-{size}.db"), batches, size));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        var connectionString = Environment.GetEnvironmentVariable("ACTORRECORDER_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            Report.Note("postgres: skipped, ACTORRECORDER_TEST_POSTGRES is not set (./build.sh bench persistence starts a server)");
            return;
        }
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..8];
        await using var postgres = new PostgreSqlPersistence(new PostgreSqlOptions(connectionString) { Schema = schema });
        await RunBackend("postgres", postgres.ToSettings(BenchEvent.Serializer()), scale,
            (batches, size) => PersistenceRawBaseline.PostgresInsertsAsync(connectionString, $"{schema}_raw{size}", batches, size));
        Report.Note($"Akka.Persistence.Sql on PostgreSQL (published): Persist {AkkaPersist} events/s, PersistAsync {AkkaPersistAsync} events/s, recovery {AkkaRecovery} events/s");
    }

    private static async Task RunBackend(string backend, PersistenceSettings settings, Scale scale, Func<int, int, Task<double>> rawInserts)
    {
        var name = $"persistence.{backend}";
        await MeasurePersistAsync(settings, "warmup", 10, 20, useAsync: false);

        var persist1 = await MeasurePersistAsync(settings, "p1", 1, scale.Persist1, useAsync: false);
        var raw1 = await rawInserts(Math.Min(scale.Persist1, 2_000), 1);
        Report.Result($"{name}.persist_1_actor", persist1, "events/s");
        Report.Result($"{name}.raw_insert_1_per_tx", raw1, "rows/s");
        Report.Result($"{name}.persist_1_actor_vs_raw", persist1 / raw1, "ratio");

        var persist100 = await MeasurePersistAsync(settings, "p100", 100, scale.Persist100PerActor, useAsync: false);
        var raw100 = await rawInserts(200, 100);
        Report.Result($"{name}.persist_100_actors", persist100, "events/s");
        Report.Result($"{name}.raw_insert_100_per_tx", raw100, "rows/s");
        Report.Result($"{name}.persist_100_actors_vs_raw", persist100 / raw100, "ratio");

        var persistAsync = await MeasurePersistAsync(settings, "pa", 1, scale.PersistAsync, useAsync: true);
        var raw1000 = await rawInserts(50, 1_000);
        Report.Result($"{name}.persist_async", persistAsync, "events/s");
        Report.Result($"{name}.raw_insert_1000_per_tx", raw1000, "rows/s");
        Report.Result($"{name}.persist_async_vs_raw", persistAsync / raw1000, "ratio");

        var ids = Enumerable.Range(0, scale.RecoveryActors).Select(i => $"rec-{i}").ToList();
        var seeded = await SeedAsync(settings.Journal, ids, 1, scale.RecoveryEventsPerActor);
        Report.Result($"{name}.journal_bulk_write", seeded, "events/s");
        var recovery = await MeasureRecoveryAsync(settings, ids, scale.RecoveryEventsPerActor);
        var replay = await PersistenceRawBaseline.ReplayAsync(settings.Journal, ids);
        Report.Result($"{name}.recovery", recovery, "events/s");
        Report.Result($"{name}.journal_replay_without_actors", replay, "events/s");
        Report.Result($"{name}.recovery_vs_replay", recovery / replay, "ratio");

        var snapshotRecovery = await MeasureSnapshotRecoveryAsync(settings);
        Report.Result($"{name}.recovery_snapshot_plus_100_events", snapshotRecovery, "ms");
    }

    /// <summary>Each actor gets <paramref name="perActor"/> commands at once; each command persists one event. Aggregate events/s.</summary>
    private static async Task<double> MeasurePersistAsync(PersistenceSettings settings, string prefix, int actors, int perActor, bool useAsync)
    {
        await using var system = ActorSystem.Create($"bench-{prefix}");
        system.UsePersistence(settings);
        var done = Enumerable.Range(0, actors).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var allRecovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = 0;
        var refs = new IActorRef[actors];
        for (var i = 0; i < actors; i++)
        {
            var (pid, signal) = ($"{prefix}-{Guid.NewGuid():N}", done[i]);
            refs[i] = system.ActorOf(Props.Create(() => new BenchActor(pid, perActor, signal, _ =>
            {
                if (Interlocked.Increment(ref recovered) == actors)
                {
                    allRecovered.TrySetResult();
                }
            })));
        }
        await allRecovered.Task;
        var start = Stopwatch.GetTimestamp();
        for (var j = 1; j <= perActor; j++)
        {
            foreach (var actor in refs)
            {
                actor.Tell(useAsync ? new PersistAsyncCommand(j) : new PersistCommand(j), ActorRefs.NoSender);
            }
        }
        await Task.WhenAll(done.Select(d => d.Task));
        return actors * (double)perActor / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Writes events straight through the journal (one atomic write per id, 50 ids at a time); events/s.</summary>
    private static async Task<double> SeedAsync(IJournal journal, IReadOnlyList<string> ids, long from, int count)
    {
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(BenchEvent.For(1));
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (id, _) =>
        {
            var events = Enumerable.Range(0, count)
                .Select(i => new PersistentRepr(id, from + i, "bench-event", payload, [], "seed", 0))
                .ToList();
            var results = await journal.WriteMessagesAsync([new AtomicWrite(events)]);
            if (results[0] is { } rejected)
            {
                throw rejected;
            }
        });
        return ids.Count * (double)count / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Starts one actor per id at once and waits until all have recovered; replayed events/s.</summary>
    private static async Task<double> MeasureRecoveryAsync(PersistenceSettings settings, IReadOnlyList<string> ids, int perActor)
    {
        await using var system = ActorSystem.Create("bench-recovery");
        system.UsePersistence(settings);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long replayed = 0;
        var recovered = 0;
        var start = Stopwatch.GetTimestamp();
        foreach (var id in ids)
        {
            system.ActorOf(Props.Create(() => new BenchActor(id, 0, null, count =>
            {
                Interlocked.Add(ref replayed, count);
                if (Interlocked.Increment(ref recovered) == ids.Count)
                {
                    all.TrySetResult();
                }
            })));
        }
        await all.Task;
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (replayed != (long)ids.Count * perActor)
        {
            throw new InvalidOperationException($"recovered {replayed} events, expected {ids.Count * perActor}");
        }
        return replayed / elapsed.TotalSeconds;
    }

    /// <summary>One actor with 10,000 events, a snapshot after them and 100 more: median time to recover, in ms.</summary>
    private static async Task<double> MeasureSnapshotRecoveryAsync(PersistenceSettings settings)
    {
        var pid = "snap-" + Guid.NewGuid().ToString("N");
        await SeedAsync(settings.Journal, [pid], 1, 10_000);
        await using var system = ActorSystem.Create("bench-snapshot");
        system.UsePersistence(settings);
        var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = system.ActorOf(Props.Create(() => new BenchActor(pid, long.MaxValue, saved, null)));
        first.Tell(new BenchState(0, 0), ActorRefs.NoSender);
        await saved.Task;
        await first.GracefulStop(TimeSpan.FromSeconds(10));
        await SeedAsync(settings.Journal, [pid], 10_001, 100);
        var times = new List<double>();
        for (var run = 0; run < 21; run++)
        {
            var recovered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = Stopwatch.GetTimestamp();
            var actor = system.ActorOf(Props.Create(() => new BenchActor(pid, 0, null, count => recovered.TrySetResult(count))));
            var count = await recovered.Task;
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (count != 10_100)
            {
                throw new InvalidOperationException($"recovered {count} events from snapshot + tail, expected 10100");
            }
            await actor.GracefulStop(TimeSpan.FromSeconds(10));
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
