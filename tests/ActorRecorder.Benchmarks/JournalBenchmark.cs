using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http.Headers;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host;
using ActorRecorder.Host.Journal;
using ActorRecorder.Host.Management;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The journal stays bounded. (1) A real channel actor on a real SQLite journal records 100 and then 1,000 simulated
/// broadcasts (its ffmpeg and its monitor are stand-ins that answer at once; each broadcast is a session of five
/// segments, ended and completed): the journal's rows for the channel, with the old events deleted after each snapshot
/// (the default) and, as the baseline in the same run, with every event kept. (2) GET /api/recordings on a node whose
/// 1,000 channels each remember 100 completed sessions: its latency, next to GET /api/channels and GET /health.
/// </summary>
internal static class JournalBenchmark
{
    public static async Task Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-journal-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            foreach (var (deleteOld, label) in new[] { (true, "journal"), (false, "baseline.keep_all") })
            {
                foreach (var broadcasts in quick ? new[] { 100, 300 } : [100, 1000])
                {
                    var rows = await RowsAfterAsync(Path.Combine(root, $"{label}-{broadcasts}"), broadcasts, deleteOld);
                    Report.Result($"{label}.rows_per_channel.{broadcasts}_broadcasts", rows, "rows");
                }
            }
            await RecordingsLatencyAsync(Path.Combine(root, "api"), quick ? 200 : 1000, 100, quick ? 20 : 50);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="broadcasts"/> broadcasts through one channel on a fresh SQLite journal; returns the journal's rows for it.</summary>
    private static async Task<long> RowsAfterAsync(string dir, int broadcasts, bool deleteOld)
    {
        Directory.CreateDirectory(dir);
        var journal = new JournalSettings(JournalKind.Sqlite, Path.Combine(dir, "journal.db"), null) { DeleteOldEvents = deleteOld };
        using var host = await BenchJournal.StartHostAsync(journal, "journal-bench");
        var system = host.Services.GetRequiredService<ActorSystem>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = system.ActorOf(Props.Create(() => new Completions(() => Volatile.Read(ref ended).TrySetResult())));
        system.EventStream.Subscribe(listener, typeof(ChannelEventPersisted));
        var services = EngineServices.Create() with
        {
            FreeBytes = _ => long.MaxValue,
            DeleteOldEvents = deleteOld,
            Children = new ChannelChildren(
                (_, _) => Props.Create(() => new Silent()),
                (start, _, _) => Props.Create(() => new Broadcast(start)),
                (_, _) => Props.Create(() => new Silent()),
                (_, _) => Props.Create(() => new Silent())),
        };
        var settings = new ChannelSettings("bench", "http://127.0.0.1:9/live.m3u8", "generic",
            new RecordingSettings(Path.Combine(dir, "recordings"), TimeSpan.FromMinutes(10), Media.Ffmpeg.Container.Ts, TimeSpan.FromSeconds(2),
                GracePeriod: TimeSpan.Zero, StallTimeout: TimeSpan.FromMinutes(1), MinFreeDisk: 0, "ffmpeg", "ffprobe", TimeSpan.FromMinutes(10)))
        {
            Delivery = new DeliverySettings([], false, Path.Combine(dir, "archive"), 4L << 30, TimeSpan.FromSeconds(1), Media.Splitting.PartFormat.Mp4),
        };
        var directory = system.ActorOf(Props.Create(() => new OneChannelDirectory(settings)));
        var channel = system.ActorOf(ChannelActor.Props("bench", services, directory));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < broadcasts; i++)
        {
            Volatile.Write(ref ended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            channel.Tell(new WentLive("http://127.0.0.1:9/live.m3u8", ImmutableDictionary<string, string>.Empty, $"broadcast {i}", settings.Url));
            await ended.Task.WaitAsync(TimeSpan.FromMinutes(1));
            channel.Tell(new WentOffline("the broadcast ended"));
        }
        // Wait for the last snapshot and its deletion to settle: a status round trip after the last completion.
        await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Report.Note($"{broadcasts} broadcasts ({(deleteOld ? "old events deleted" : "every event kept")}) in {watch.Elapsed.TotalSeconds:0.0} s");
        await host.StopAsync();
        await using var connection = new SqliteConnection($"Data Source={journal.SqlitePath};Pooling=false");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM journal WHERE persistence_id = 'channel-bench'";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// A node of <paramref name="channels"/> idle channels, each with <paramref name="sessions"/> completed sessions in its
    /// snapshot: GET /api/recordings, /api/channels and /health, <paramref name="requests"/> times each, one at a time.
    /// </summary>
    private static async Task RecordingsLatencyAsync(string dir, int channels, int sessions, int requests)
    {
        var ids = Enumerable.Range(0, channels).Select(i => $"rec{i:0000}").ToArray();
        var config = RecordingBenchmark.WriteConfig(dir, ids.Select(id => (id, $"http://127.0.0.1:9/{id}/index.m3u8")), poll: "30s", grace: "1m");
        var (settings, _) = RecorderHost.Load(config);
        await WriteHistoriesAsync(settings.Journal, ids, sessions);
        await using var node = await RecorderNode.StartAsync(config, logging => logging.ClearProviders());
        while ((await node.GetStatusAsync()).Count(s => s.Lifecycle == Lifecycle.Active) < channels)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        using var http = new HttpClient { BaseAddress = ManagementApi.Address(node.Services), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await File.ReadAllTextAsync(ManagementSettings.GeneratedTokenFile(settings.DataDir))).Trim());
        var listed = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/recordings")).RootElement.GetArrayLength();
        Report.Note($"/api/recordings lists {listed} sessions of {channels} channels");
        foreach (var (path, name) in new[] { ("/api/recordings", "recordings"), ("/api/channels", "baseline.channels"), ("/health", "baseline.health") })
        {
            var times = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Report.Result($"api.{name}.{channels}x{sessions}.p50_ms", times[times.Count / 2], "ms");
            Report.Result($"api.{name}.{channels}x{sessions}.p99_ms", times[(int)Math.Ceiling(times.Count * 0.99) - 1], "ms");
        }
    }

    /// <summary>Each channel's journal: one event and a snapshot whose state remembers <paramref name="sessions"/> completed sessions.</summary>
    private static async Task WriteHistoriesAsync(JournalSettings journal, IReadOnlyList<string> ids, int sessions)
    {
        using var host = await BenchJournal.StartHostAsync(journal, "populate");
        var system = host.Services.GetRequiredService<ActorSystem>();
        var at = new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.Zero);
        foreach (var batch in ids.Chunk(50))
        {
            await Task.WhenAll(batch.Select(id =>
            {
                var history = Enumerable.Range(0, sessions).Select(i => new SessionSummary($"2026110{i % 9}-2000{i:00}-{i}", $"broadcast {i}", at.AddDays(i),
                    at.AddDays(i).AddHours(2), at.AddDays(i).AddHours(3), 720, 3_000_000_000, TimeSpan.FromHours(2),
                    [.. Enumerable.Range(1, 2).Select(p => new PartInfo(p, $"/recordings/{id}/{i}/parts/part-0{p}.mp4", 1_500_000_000, TimeSpan.FromHours(1), 1920, 1080, null))],
                    [new Upload(1, "archive", "/archive/1"), new Upload(2, "archive", "/archive/2")])).ToImmutableList();
                var state = new PersistedState { History = history, SessionsStarted = sessions, SessionsCompleted = sessions, Events = 1 };
                return system.ActorOf(Props.Create(() => new SnapshotWriter("channel-" + id, state))).Ask<string>("write", TimeSpan.FromMinutes(2));
            }));
        }
        await host.StopAsync();
    }

    /// <summary>Writes one event, then a snapshot of the given state at it.</summary>
    private sealed class SnapshotWriter : ReceivePersistentActor
    {
        private IActorRef? _asker;

        public SnapshotWriter(string persistenceId, PersistedState state)
        {
            PersistenceId = persistenceId;
            Command<string>(_ =>
            {
                _asker = Sender;
                Persist(new ChannelResumed(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), _ => SaveSnapshot(state));
            });
            Command<SaveSnapshotSuccess>(_ => _asker?.Tell("done"));
            Command<SaveSnapshotFailure>(failure => throw failure.Cause);
        }

        public override string PersistenceId { get; }
    }

    /// <summary>Tells <paramref name="completed"/> each time a session is completed.</summary>
    private sealed class Completions : ReceiveActor
    {
        public Completions(Action completed) => Receive<ChannelEventPersisted>(e =>
        {
            if (e.Event is SessionCompleted)
            {
                completed();
            }
        });
    }

    /// <summary>The channel directory, for the one channel: it answers with the channel's settings.</summary>
    private sealed class OneChannelDirectory : ReceiveActor
    {
        public OneChannelDirectory(ChannelSettings settings) => Receive<GetChannelSettings>(_ => Sender.Tell(new ConfigureChannel(settings)));
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    /// <summary>ffmpeg's stand-in: it starts, finishes five segments and ends (the stream ended), at once.</summary>
    private sealed class Broadcast : ReceiveActor
    {
        public Broadcast(StartRecorder start)
        {
            ReceiveAny(_ => { });
            var channel = Context.Parent;
            channel.Tell(new RecordingStarted(start.Attempt, 4242));
            for (var i = 0; i < 5; i++)
            {
                channel.Tell(new SegmentFinished(start.Attempt, start.Request.SegmentPath(i), TimeSpan.FromSeconds(2), 250_000, Adopted: false));
            }
            channel.Tell(new RecordingStopped(start.Attempt, RecordingOutcome.Ended, "the stream ended", 0));
            Context.Stop(Self);
        }
    }
}
