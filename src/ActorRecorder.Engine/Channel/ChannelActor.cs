using System.Collections.Immutable;
using ActorRecorder.Actors;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Processes;
using ActorRecorder.Persistence;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// One streamer. Persistent (<c>channel-&lt;id&gt;</c>): its state is rebuilt by replaying its events, and
/// every side effect — starting ffmpeg, handing a session over — happens only after the event that
/// justifies it is persisted. Supervises a <see cref="MonitorActor"/> and, while recording, one
/// <see cref="FfmpegProcessActor"/> per attempt. A dropped stream keeps the session open for the grace
/// period: one broadcast is one session, however many drops.
/// </summary>
public sealed partial class ChannelActor : ReceivePersistentActor, IWithTimers
{
    private readonly EngineServices _services;
    private readonly ChannelState _state = new();
    private ChannelSettings _settings;
    private IActorRef? _monitor;
    private IActorRef? _ffmpeg;
    private int _ffmpegAttempt;
    private int? _ffmpegPid;
    private RecordingProgress? _progress;
    private WentLive? _live;
    private bool _liveNow;
    private string? _stopReason;
    private int _failuresInRow;
    private bool _adopting;
    private bool _shuttingDown;
    private bool _retiring;

    public ChannelActor(ChannelSettings settings, EngineServices services)
    {
        _settings = settings;
        _services = services;
        Recover<IChannelEvent>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Command<WentLive>(OnWentLive);
        Command<WentOffline>(OnWentOffline);
        Command<Monitor.TitleChanged>(OnTitleChanged);
        Command<RecordingStarted>(started => _ffmpegPid = started.Attempt == _ffmpegAttempt ? started.Pid : _ffmpegPid);
        Command<SegmentFinished>(OnSegmentFinished);
        Command<SegmentSetAside>(OnSegmentSetAside);
        Command<RecordingProgress>(progress => _progress = progress.Attempt == _ffmpegAttempt ? progress : _progress);
        Command<RecordingStopped>(OnRecordingStopped);
        Command<Terminated>(OnChildTerminated);
        Command<GraceExpired>(OnGraceExpired);
        Command<RetryAttempt>(OnRetryAttempt);
        Command<AdoptionFinished>(OnAdoptionFinished);
        Command<DiskTick>(_ => CheckDisk());
        Command<GetChannelStatus>(_ => Sender.Tell(Status()));
        Command<PauseChannel>(_ => Pause());
        Command<ResumeChannel>(_ => Resume());
        Command<ShutdownChannel>(_ => Shutdown());
        Command<RetireChannel>(_ => Retire());
        Command<UpdateChannelSettings>(OnUpdateSettings);
        Command<Delivery.SessionSplit>(OnSessionSplit);
        Command<Delivery.SplitFailed>(OnSplitFailed);
        Command<Delivery.PartDelivered>(OnPartDelivered);
        Command<Delivery.DeliveryFailed>(OnDeliveryFailed);
        Command<RetryDelivery>(OnRetryDelivery);
        Command<Delivery.StatusPosted>(OnStatusPosted);
        Command<Delivery.PartRecut>(OnPartRecut);
        Command<RetryFailedSessions>(_ => RetryFailed());
    }

    public override string PersistenceId => "channel-" + _settings.Id;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ChannelSettings settings, EngineServices services) =>
        Actors.Props.Create(() => new ChannelActor(settings, services));

    private string Id => _settings.Id;

    private RecordingSettings Recording => _settings.Recording;

    private DateTimeOffset Now => Context.System.Time.GetUtcNow();

    /// <summary>
    /// The monitor is restarted on failure (it holds no state worth keeping). An ffmpeg actor that cannot
    /// start, or fails, is stopped: the channel decides about the next attempt, with back-off.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ProcessFailedException or IOException or UnauthorizedAccessException => Directive.Stop,
        _ => Directive.Restart,
    });

    /// <summary>Persists <paramref name="event"/>, applies it, publishes it, then runs <paramref name="then"/>.</summary>
    private void Record(IChannelEvent @event, Action? then = null) => Persist(@event, persisted =>
    {
        _state.Apply(persisted);
        Context.System.EventStream.Publish(new ChannelEventPersisted(Id, persisted));
        then?.Invoke();
    });

    private ChannelStatus Status() => new(
        Id,
        _state.Mode,
        _state.Current?.Id,
        _state.Current?.Title,
        _state.Current?.Segments.Count ?? 0,
        _state.Current?.Bytes ?? 0,
        _ffmpeg is null ? 0 : _progress?.Bytes ?? 0,
        _state.Current?.LastAttempt ?? 0,
        _ffmpeg is null ? null : _ffmpegPid,
        _state.DiskLow,
        _state.Processing.Count,
        _state.Processing.Select(s => s.Id).ToArray());

    private void HandOver(SessionState session)
    {
        Context.System.EventStream.Publish(new SessionHandedOver(Id, session.Id, session.Directory, [.. session.Segments]));
        DeliverNextSession();
    }

    private void OnUpdateSettings(UpdateChannelSettings update)
    {
        var urlChanged = update.Settings.Url != _settings.Url || update.Settings.Resolver != _settings.Resolver
            || update.Settings.Recording.PollInterval != Recording.PollInterval;
        var deliveryChanged = !update.Settings.Delivery.Equals(_settings.Delivery);
        _settings = update.Settings;
        if (deliveryChanged)
        {
            OnDeliverySettingsChanged();
        }
        Timers.StartPeriodicTimer("disk", DiskTick.Instance, Recording.DiskCheckInterval);
        Self.Tell(DiskTick.Instance);
        if (urlChanged && _monitor is not null)
        {
            Context.Stop(_monitor);
            _monitor = StartMonitor(name: $"monitor-{Now.ToUnixTimeMilliseconds()}");
        }
    }

    private IActorRef StartMonitor(string name = "monitor")
    {
        var resolver = _services.Resolvers[_settings.Resolver];
        return Context.ActorOf(MonitorActor.Props(_settings.Url, resolver, _services.Gate, Recording.PollInterval), name);
    }

    private sealed record GraceExpired(string SessionId);

    private sealed record RetryAttempt(string SessionId);

    private sealed record AdoptionFinished(string SessionId, ImmutableArray<object> Results);

    private sealed class DiskTick
    {
        public static readonly DiskTick Instance = new();
    }
}
