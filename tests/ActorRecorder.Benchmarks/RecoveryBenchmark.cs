using ActorRecorder.ClusterLab;
using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host;
using ActorRecorder.Host.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// A node's start with 1,000 channels of 200 events each in its journal (SQLite, then PostgreSQL): from the start
/// of the node until every channel answers its status, replayed (from its snapshot, as a channel saves one every
/// 100 events) and configured. The journal is written first through the same Akka.Persistence.Sql setup.
/// </summary>
internal static class RecoveryBenchmark
{
    private const int EventsPerChannel = 200;

    public static async Task Run(string[] args)
    {
        var channels = args.Contains("--quick") ? 200 : 1000;
        var root = Path.Combine(Path.GetTempPath(), "ar-bench-recovery-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        try
        {
            await MeasureAsync("sqlite", root, channels, null);
            if (PostgresDatabase.IsConfigured)
            {
                await using var database = await PostgresDatabase.CreateAsync();
                await MeasureAsync("postgres", root, channels, database.ConnectionString);
            }
            else
            {
                Report.Note("no PostgreSQL server (ACTORRECORDER_TEST_POSTGRES): the PostgreSQL figure is not measured");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync(string backend, string root, int channels, string? postgres)
    {
        var dir = Path.Combine(root, backend);
        var ids = Enumerable.Range(0, channels).Select(i => $"rec{i:0000}").ToArray();
        var config = RecordingBenchmark.WriteConfig(dir, ids.Select(id => (id, $"http://127.0.0.1:9/{id}/index.m3u8")), poll: "30s", grace: "1m");
        if (postgres is not null)
        {
            await File.AppendAllTextAsync(config, $"\nactor-recorder.persistence {{ journal = postgres, postgres.connection-string = \"{postgres}\" }}\n");
        }
        var (settings, parsed) = RecorderHost.Load(config);
        var written = Stopwatch.StartNew();
        await PopulateAsync(settings.Journal, ids);
        Report.Note($"{backend}: {channels} x {EventsPerChannel} events written in {written.Elapsed.TotalSeconds:0.0} s");

        var started = Stopwatch.StartNew();
        await using var node = await RecorderNode.StartAsync(config, logging => logging.ClearProviders());
        IReadOnlyList<ChannelStatus> statuses;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            statuses = await node.GetStatusAsync();
        }
        while (statuses.Count(s => s.Lifecycle == Lifecycle.Active) < channels && started.Elapsed < TimeSpan.FromMinutes(5));
        var elapsed = started.Elapsed;
        Report.Result($"startup.recovery_s.{backend}", elapsed.TotalSeconds, "s");
        Report.Note($"{backend}: {statuses.Count(s => s.Lifecycle == Lifecycle.Active)} of {channels} channels answered; "
            + $"each had {statuses.FirstOrDefault()?.ProcessingSessionIds.Count} session(s) to deliver and {EventsPerChannel} events");
    }

    /// <summary>
    /// Each channel's history: a broadcast of 196 segments, ended and completed without targets, written through the
    /// node's journal setup with a snapshot every 100 events, as the channel itself would save them.
    /// </summary>
    private static async Task PopulateAsync(JournalSettings journal, IReadOnlyList<string> ids)
    {
        using var host = await BenchJournal.StartHostAsync(journal, "populate");
        var system = host.Services.GetRequiredService<ActorSystem>();
        var writers = ids.Select(id => system.ActorOf(Props.Create(() => new HistoryWriter("channel-" + id, History(id))))).ToList();
        foreach (var writer in writers)
        {
            await writer.Ask<Done>(Done.Instance, TimeSpan.FromMinutes(5));
        }
        await host.StopAsync();
    }

    private static List<IChannelEvent> History(string id)
    {
        var at = new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);
        var session = $"20261130-200000-1";
        var directory = $"/recordings/{id}/{session}";
        var events = new List<IChannelEvent> { new SessionStarted(session, "title", "http://cdn/live.m3u8", directory, at), new RecordingAttemptStarted(session, 1, at) };
        for (var i = 0; i < EventsPerChannel - 6; i++)
        {
            events.Add(new SegmentRecorded(session, 1, $"{directory}/a001-{i:00000}.ts", TimeSpan.FromSeconds(10), 1_250_000, false, at.AddSeconds(10 * i)));
        }
        events.Add(new RecordingAttemptEnded(session, 1, "Ended", "the stream ended", at.AddHours(1)));
        events.Add(new StreamDropped(session, "the stream ended", at.AddHours(1)));
        events.Add(new SessionEnded(session, "no stream for the grace period", at.AddHours(1)));
        events.Add(new SessionCompleted(session, false, at.AddHours(1)));
        return events;
    }

    private sealed class Done
    {
        public static readonly Done Instance = new();
    }

    /// <summary>Persists a history in batches and saves a snapshot of the state every 100 events, then answers <see cref="Done"/>.</summary>
    private sealed class HistoryWriter : ReceivePersistentActor
    {
        private readonly List<IChannelEvent> _history;
        private PersistedState _state = new();
        private IActorRef? _asker;

        public HistoryWriter(string persistenceId, List<IChannelEvent> history)
        {
            PersistenceId = persistenceId;
            _history = history;
            Command<Done>(_ =>
            {
                _asker = Sender;
                foreach (var batch in _history.Chunk(100))
                {
                    PersistAll(batch, e =>
                    {
                        _state = _state.Apply(e);
                        if (LastSequenceNr % 100 == 0)
                        {
                            SaveSnapshot(_state);
                        }
                    });
                }
                DeferAsync(Done.Instance, _ => { });
            });
            Command<SaveSnapshotSuccess>(success =>
            {
                if (success.Metadata.SequenceNr == _history.Count / 100 * 100)
                {
                    _asker?.Tell(Done.Instance);
                }
            });
            Command<SaveSnapshotFailure>(failure => throw failure.Cause);
        }

        public override string PersistenceId { get; }
    }
}
