using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Synthetic;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// Base of the in-process node specs: a real node (Generic Host, Akka cluster of one, sharded channel "demo",
/// SQLite journal) in a temporary folder, a synthetic live source on loopback, real ffmpeg, and the channel's
/// persisted events observed on the actor system's event stream from before the channel starts.
/// </summary>
public abstract class NodeSpec(ITestOutputHelper output) : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly List<string> _seen = [];
    private RecorderNode? _node;
    private SyntheticLiveSource? _source;

    protected ITestOutputHelper Output { get; } = output;

    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "ar-host-" + Guid.NewGuid().ToString("N")[..8]);

    protected SyntheticLiveSource Source => _source ??= SyntheticLiveSource.Start(SourceOptions);

    /// <summary>The synthetic stream the channel records: a small test pattern and a tone, unless a spec needs another.</summary>
    protected virtual SyntheticSourceOptions SourceOptions => new() { Width = 320, Height = 180, VideoBitrate = 300_000 };

    protected RecorderNode Node => _node ?? throw new InvalidOperationException("the node is not started");

    protected IActorRef Region => ActorRegistry.For(Node.System).Get<ChannelRegion>();

    /// <summary>The channel's settings as configured (change them with <see cref="Configure"/>).</summary>
    protected ChannelSettings Settings => Node.Settings.Channels[0];

    protected string ArchivePath => Path.Combine(Root, "archive");

    /// <summary>Every line the node has logged (Information and up).</summary>
    protected System.Collections.Concurrent.ConcurrentQueue<string> LogLines { get; } = new();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>
    /// Starts the node with channel "demo" on the synthetic source; <paramref name="extra"/> goes inside <c>actor-recorder { }</c>,
    /// <paramref name="outside"/> after it (an <c>akka { }</c> block, say).
    /// </summary>
    protected async Task StartNodeAsync(string grace = "8s", string stall = "4s", string minFreeDisk = "0", string extra = "",
        Func<EngineServices, EngineServices>? customize = null, string outside = "")
    {
        var config = Path.Combine(Root, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            actor-recorder {
              node.data-dir = data
              recording {
                output-dir = recordings, poll-interval = 1s, segment-duration = 2s, grace-period = {{grace}},
                stall-timeout = {{stall}}, min-free-disk = {{minFreeDisk}}, disk-check-interval = 1s
              }
              channels = [ { id = demo, url = "{{Source.PlaylistUrl}}" } ]
              {{extra}}
            }
            {{outside}}
            """);
        _node = await RecorderNode.StartAsync(config, logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(Output, LogLines.Enqueue)),
            customize, akka => akka.AddStartup((system, _) =>
            {
                var sink = system.ActorOf(Props.Create(() => new EventSink(_events.Writer)), "spec-events");
                system.EventStream.Subscribe(sink, typeof(ChannelEventPersisted));
                system.EventStream.Subscribe(sink, typeof(SessionHandedOver));
            }));
    }

    /// <summary>Stops the node (as SIGTERM would); <see cref="StartNodeAsync"/> starts a new one on the same folder.</summary>
    protected async Task StopNodeAsync()
    {
        await Node.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _node = null;
    }

    /// <summary>
    /// New settings for the channel, given to the channel directory as a reload of the configuration would (they may
    /// be ones a file cannot express, like parts smaller than 1 MiB).
    /// </summary>
    protected Task Configure(ChannelSettings settings) =>
        ActorRegistry.For(Node.System).Get<ChannelDirectory>().Ask<ChannelsApplied>(new ApplyChannels([settings], []), TimeSpan.FromSeconds(10));

    /// <summary>Skips events until one of type <typeparamref name="T"/> (matching <paramref name="match"/>) is persisted.</summary>
    protected async Task<T> Next<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : IChannelEvent =>
        (T)((ChannelEventPersisted)await NextAsync(m => m is ChannelEventPersisted { Event: T e } && (match?.Invoke(e) ?? true), typeof(T).Name, timeout)).Event;

    protected async Task<SessionHandedOver> HandedOver(TimeSpan? timeout = null) =>
        (SessionHandedOver)await NextAsync(m => m is SessionHandedOver, nameof(SessionHandedOver), timeout);

    private async Task<object> NextAsync(Func<object, bool> match, string what, TimeSpan? timeout)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Patience);
        try
        {
            while (true)
            {
                var message = await _events.Reader.ReadAsync(cancel.Token);
                _seen.Add(message is ChannelEventPersisted e ? e.Event.GetType().Name : message.GetType().Name);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no {what} within {(timeout ?? Patience).TotalSeconds:0} s; events so far: {string.Join(", ", _seen)}");
        }
    }

    /// <summary>A short broadcast: live until two whole segments are recorded, then properly ended.</summary>
    protected async Task<SessionStarted> RecordABroadcast()
    {
        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>(s => s.Duration > TimeSpan.FromSeconds(1));
        await Next<SegmentRecorded>(s => s.Duration > TimeSpan.FromSeconds(1));
        await Source.EndAsync();
        return started;
    }

    protected async Task<ChannelStatus> StatusAsync() =>
        await Region.Ask<ChannelStatus>(new ShardingEnvelope("demo", new GetChannelStatus()), TimeSpan.FromSeconds(10));

    /// <summary>
    /// The pid of the running ffmpeg. Asked once a segment was recorded: ffmpeg reported its pid when it started, seconds
    /// before its first segment, so the channel knows it by then.
    /// </summary>
    protected async Task<int> RunningFfmpegPidAsync() =>
        (await StatusAsync()).FfmpegPid ?? throw new Xunit.Sdk.XunitException("the channel knows no running ffmpeg although a segment was recorded");

    /// <summary>The channel's whole journal, read from the node's SQLite file.</summary>
    protected Task<IReadOnlyList<IChannelEvent>> JournalAsync() => JournalReader.SqliteAsync(Node.Settings.Journal.SqlitePath, "demo");

    private sealed class EventSink : ReceiveActor
    {
        public EventSink(ChannelWriter<object> writer) => ReceiveAny(message => writer.TryWrite(message));
    }
}
