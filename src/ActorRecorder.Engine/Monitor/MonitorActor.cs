using Akka.Actor;
using ActorRecorder.Platforms.Gate;
using ActorRecorder.Platforms.Resolvers;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Monitor;

/// <summary>
/// Polls the channel's resolver every poll interval (±10% jitter, so a thousand channels spread out)
/// through the node's shared platform gate, and tells its parent when the channel goes live, goes
/// offline or changes title. After <see cref="CheckNow"/> it checks at once and reports the status even
/// if it did not change. A resolver error changes nothing (the gate slows that platform down).
/// </summary>
public sealed partial class MonitorActor : ReceiveActor, IWithTimers
{
    private readonly string _url;
    private readonly IChannelResolver _resolver;
    private readonly PlatformGate _gate;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopped = new();
    private bool _checking;
    private bool _reportNext = true;
    private bool? _lastLive;
    private string? _lastTitle;
    private bool _recording;

    public MonitorActor(string url, IChannelResolver resolver, PlatformGate gate, TimeSpan pollInterval, EngineServices services)
    {
        _url = url;
        _resolver = resolver;
        _gate = gate;
        _pollInterval = pollInterval;
        _log = services.LoggerFactory.CreateLogger<MonitorActor>();
        Receive<CheckNow>(_ =>
        {
            _reportNext = true;
            StartCheck();
        });
        Receive<Poll>(_ => StartCheck());
        Receive<RecordingActive>(r =>
        {
            _recording = r.Active;
            if (!_checking && !r.Active)
            {
                ScheduleNext();
            }
        });
        Receive<CheckResult>(OnResult);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string url, IChannelResolver resolver, PlatformGate gate, TimeSpan pollInterval, EngineServices services) =>
        Akka.Actor.Props.Create(() => new MonitorActor(url, resolver, gate, pollInterval, services));

    protected override void PreStart() => StartCheck();

    /// <summary>A replaced or stopped monitor's check (a yt-dlp process, an HTTP request) is cancelled, not left to run out.</summary>
    protected override void PostStop()
    {
        _stopped.Cancel();
        _stopped.Dispose();
    }

    private void StartCheck()
    {
        if (_checking)
        {
            return; // the answer to the running check will be reported (and _reportNext is kept)
        }
        _checking = true;
        Timers.Cancel("poll");
        CheckAsync(_stopped.Token).PipeTo(Self);
    }

    /// <summary>Never faults: a failed check is a result too.</summary>
    private async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new CheckResult(await _gate.ResolveAsync(_resolver, _url, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            return new CheckResult(null, ex);
        }
    }

    private void OnResult(CheckResult result)
    {
        _checking = false;
        switch (result.Status)
        {
            case LiveStatus.Live live:
                if (_reportNext || _lastLive != true)
                {
                    Context.Parent.Tell(new WentLive(live.StreamUrl, live.Headers, live.Title));
                }
                else if (live.Title is { } title && title != _lastTitle)
                {
                    Context.Parent.Tell(new TitleSeen(title));
                }
                _lastLive = true;
                _lastTitle = live.Title;
                _reportNext = false;
                break;
            case LiveStatus.Offline offline:
                if (_reportNext || _lastLive != false)
                {
                    Context.Parent.Tell(new WentOffline(offline.Reason));
                }
                _lastLive = false;
                _reportNext = false;
                break;
            default:
                LogCheckFailed(_log, _url, result.Error?.Message ?? "unknown error");
                break;
        }
        ScheduleNext();
    }

    private void ScheduleNext()
    {
        var jitter = 0.9 + Random.Shared.NextDouble() * 0.2;
        Timers.StartSingleTimer("poll", Poll.Instance, _pollInterval * jitter * (_recording ? 10 : 1));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "checking {Url} failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string url, string reason);

    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }

    private sealed record CheckResult(LiveStatus? Status, Exception? Error);
}
