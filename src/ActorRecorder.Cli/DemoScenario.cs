using System.Collections.Concurrent;
using Akka.Actor;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Synthetic;
using ActorRecorder.Host;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Cli;

/// <summary>
/// The demo's script: a synthetic live source and a node from the quickstart configuration pointed at it;
/// the source goes live, drops for less than the grace period, comes back, and ends. The live view
/// reads <see cref="Phase"/>, <see cref="RecentEvents"/> and the node's status while it runs.
/// </summary>
internal sealed class DemoScenario : IAsyncDisposable
{
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(14);
    public static readonly TimeSpan DropFor = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private DemoScenario(string root, SyntheticLiveSource source, RecorderNode node, ConcurrentQueue<string> events)
    {
        Root = root;
        Source = source;
        Node = node;
        RecentEvents = events;
    }

    public string Root { get; }
    public SyntheticLiveSource Source { get; }
    public RecorderNode Node { get; }
    public ConcurrentQueue<string> RecentEvents { get; }
    public string Phase { get; private set; } = "starting";
    public SessionHandedOver? Result { get; private set; }

    /// <summary>Completes when the session's parts are in the archive.</summary>
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<DemoScenario> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "actorrecorder-demo-" + TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        Directory.CreateDirectory(root);
        var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = 800_000 });
        using var quickstart = typeof(DemoScenario).Assembly.GetManifestResourceStream("quickstart.conf")!;
        using var reader = new StreamReader(quickstart);
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-recorder {
              node.data-dir = "{{root}}/data"
              recording { output-dir = "{{root}}/recordings", segment-duration = 4s, poll-interval = 1s, grace-period = {{(int)Grace.TotalSeconds}}s, min-free-disk = 0 }
              upload { targets = [archive], archive { path = "{{root}}/archive", max-part-size = 2MiB } }
              channels = [ { id = demo, url = "{{source.PlaylistUrl}}", resolver = generic } ]
              management.http.port = 0
            }
            """);
        var config = overrides.WithFallback(ConfigurationFactory.ParseString(await reader.ReadToEndAsync(),
            new ConfigParseOptions { OriginName = "quickstart.conf" }));
        // Written out, so that the CLI finds the node (actorrecorder --config <root>/node.conf channel show demo).
        var configPath = Path.Combine(root, "node.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var node = await RecorderNode.StartAsync(configPath, logging => logging.ClearProviders());
        var scenario = new DemoScenario(root, source, node, new ConcurrentQueue<string>());
        var listener = node.System.ActorOf(Props.Create(() => new EventListener(scenario)), "demo-view");
        node.System.EventStream.Subscribe(listener, typeof(ChannelEventPersisted));
        node.System.EventStream.Subscribe(listener, typeof(SessionHandedOver));
        return scenario;
    }

    /// <summary>Plays the broadcast; completes when the session has been handed over to processing.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Phase = "the source goes live";
        await Source.GoLiveAsync(cancellationToken);
        Phase = $"live for {LiveFor.TotalSeconds:0} s";
        await Task.Delay(LiveFor, cancellationToken);
        Phase = $"the stream drops for {DropFor.TotalSeconds:0} s (grace period {Grace.TotalSeconds:0} s)";
        await Source.DropAsync();
        await Task.Delay(DropFor, cancellationToken);
        Phase = "the stream is back: same session";
        await Source.GoLiveAsync(cancellationToken);
        await Task.Delay(LiveFor, cancellationToken);
        Phase = $"the broadcast ends; the session closes after the grace period";
        await Source.EndAsync();
        await _completed.Task.WaitAsync(cancellationToken);
        Phase = "done: the session is recorded, cut and in the archive";
    }

    public async ValueTask DisposeAsync()
    {
        await Node.StopAsync();
        await Source.DisposeAsync();
    }

    private sealed class EventListener : ReceiveActor
    {
        public EventListener(DemoScenario scenario)
        {
            Receive<ChannelEventPersisted>(e =>
            {
                if (e.Event is SessionCompleted)
                {
                    scenario._completed.TrySetResult();
                }
                scenario.RecentEvents.Enqueue($"{e.Event.At.ToLocalTime():HH:mm:ss} {Describe(e.Event)}");
                while (scenario.RecentEvents.Count > 8)
                {
                    scenario.RecentEvents.TryDequeue(out _);
                }
            });
            Receive<SessionHandedOver>(h => scenario.Result = h);
        }

        private static string Describe(IChannelEvent e) => e switch
        {
            SessionStarted s => $"session {s.SessionId} started",
            RecordingAttemptStarted a => $"ffmpeg attempt {a.Attempt} started",
            SegmentRecorded r => $"segment {Path.GetFileName(r.Path)} recorded ({r.Duration.TotalSeconds:0.0} s, {r.Bytes / 1024} KiB{(r.Adopted ? ", adopted" : "")})",
            SegmentDiscarded d => $"segment {Path.GetFileName(d.Path)} set aside: {d.Reason}",
            RecordingAttemptEnded a => $"ffmpeg attempt {a.Attempt} ended: {a.Outcome}",
            RecordingGap g => $"gap of {(g.To - g.From).TotalSeconds:0.0} s: {g.Reason}",
            StreamDropped d => $"stream dropped ({d.Reason}): grace period starts",
            StreamResumed => "stream resumed within the grace period",
            SessionEnded s => $"session ended: {s.Reason}",
            PartsPlanned p => $"{p.Parts.Count} parts cut (each under 2 MiB, MP4 with faststart)",
            PartUploaded u => $"part {u.Part} delivered to {u.Target}",
            SegmentSkipped k => $"segment {Path.GetFileName(k.Path)} skipped: {k.Reason}",
            SessionCompleted => "session completed",
            _ => e.GetType().Name,
        };
    }
}
