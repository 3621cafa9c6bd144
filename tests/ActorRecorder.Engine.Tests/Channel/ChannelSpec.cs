using ActorRecorder.Actors;
using ActorRecorder.Actors.TestKit;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Synthetic;
using ActorRecorder.Persistence;
using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Sql.Sqlite;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// Base of the channel specs: a real SQLite journal and recordings in a temporary folder, a synthetic
/// live source on loopback, real ffmpeg, and the channel's persisted events observed on the EventStream.
/// </summary>
public abstract class ChannelSpec : TestKit, IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private SqlitePersistence? _persistence;

    protected ChannelSpec(ITestOutputHelper output) : base(output)
    {
        Root = Path.Combine(Path.GetTempPath(), "ar-engine-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        Source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180, VideoBitrate = 300_000 });
        Events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(Events.Ref, typeof(ChannelEventPersisted));
        Sys.EventStream.Subscribe(Events.Ref, typeof(SessionHandedOver));
    }

    protected string Root { get; }

    protected SyntheticLiveSource Source { get; }

    protected TestProbe Events { get; }

    protected EngineServices Services { get; } = EngineServices.Create();

    public Task InitializeAsync()
    {
        _persistence = new SqlitePersistence(new SqliteOptions(Path.Combine(Root, "journal.db")));
        Sys.UsePersistence(_persistence.ToSettings(ChannelEventManifests.Register(new EventSerializer())));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        await Source.DisposeAsync();
        if (_persistence is not null)
        {
            await _persistence.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }

    protected ChannelSettings Settings(TimeSpan? grace = null, long minFreeDisk = 0, TimeSpan? stall = null) => new(
        "demo",
        Source.PlaylistUrl,
        "generic",
        new RecordingSettings(
            OutputDir: Path.Combine(Root, "recordings"),
            PollInterval: TimeSpan.FromSeconds(1),
            Container: Container.Ts,
            SegmentDuration: TimeSpan.FromSeconds(2),
            GracePeriod: grace ?? TimeSpan.FromSeconds(8),
            StallTimeout: stall ?? TimeSpan.FromSeconds(4),
            MinFreeDisk: minFreeDisk,
            FfmpegPath: "ffmpeg",
            FfprobePath: "ffprobe",
            DiskCheckInterval: TimeSpan.FromSeconds(1)));

    protected IActorRef StartChannel(ChannelSettings settings, EngineServices? services = null) =>
        Sys.ActorOf(ChannelActor.Props(settings, services ?? Services), "channel-" + settings.Id);

    /// <summary>Skips events until one of type <typeparamref name="T"/> (matching <paramref name="match"/>) is persisted.</summary>
    protected async Task<T> Next<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : IChannelEvent
    {
        var found = await Events.FishForMessageAsync(
            m => m is ChannelEventPersisted { Event: T e } && (match?.Invoke(e) ?? true),
            timeout ?? Patience, hint: typeof(T).Name);
        return (T)((ChannelEventPersisted)found).Event;
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

    protected async Task<SessionHandedOver> HandedOver(TimeSpan? timeout = null) =>
        (SessionHandedOver)await Events.FishForMessageAsync(m => m is SessionHandedOver, timeout ?? Patience, hint: "SessionHandedOver");

    protected async Task<ChannelStatus> StatusOf(IActorRef channel) =>
        await channel.Ask<ChannelStatus>(GetChannelStatus.Instance, TimeSpan.FromSeconds(10));

    protected async Task<int> RunningFfmpegPid(IActorRef channel)
    {
        int? pid = null;
        await AwaitConditionAsync(() =>
        {
            pid = StatusOf(channel).GetAwaiter().GetResult().FfmpegPid;
            return pid is not null;
        }, Patience, TimeSpan.FromMilliseconds(100), "a running ffmpeg");
        return pid!.Value;
    }
}
