using Akka.Actor;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Platforms.Gate;
using ActorRecorder.Platforms.Resolvers;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Monitor;

/// <summary>
/// Polls the channel's sources every poll interval (±10% jitter, so a thousand channels spread out)
/// through the node's shared platform gate, and tells its parent when the channel goes live, goes
/// offline, is announced (a scheduled broadcast) or changes title. A channel with several URLs is live
/// when any is; the first live one in the list's order is the one to record. After <see cref="CheckNow"/>
/// it checks at once and reports the status even if it did not change. A resolver error changes nothing
/// (the gate slows that platform down), unless another source is live.
/// </summary>
public sealed partial class MonitorActor : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<(string Url, IChannelResolver Resolver)> _sources;
    private readonly ResolveOptions _options;
    private readonly Settings.SecretStore _secrets;
    private readonly PlatformGate _gate;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopped = new();
    private bool _checking;
    private bool _reportNext = true;
    private LiveStatus? _last;
    private bool _recording;

    public MonitorActor(StartMonitor spec, EngineServices services)
    {
        _sources = [.. spec.Sources.Select(s => (s.Url, services.Resolvers[s.Resolver]))];
        _options = new ResolveOptions(spec.CookiesFile) { Qualities = spec.Qualities, Proxy = spec.Proxy };
        _secrets = services.Secrets;
        _gate = services.Gate;
        _pollInterval = spec.PollInterval;
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

    public static Props Props(StartMonitor spec, EngineServices services) =>
        Akka.Actor.Props.Create(() => new MonitorActor(spec, services));

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

    /// <summary>
    /// Never faults: a failed check is a result too. Sources are asked in order until one is live; else the first
    /// announced broadcast, else offline (every source's reason) — or the error, when a source could not be asked.
    /// </summary>
    private async Task<CheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        LiveStatus.Upcoming? upcoming = null;
        Exception? error = null;
        var reasons = new List<string>();
        var options = _options with { Proxy = _secrets.Resolve(_options.Proxy) }; // a reloaded password counts from the next check
        foreach (var (url, resolver) in _sources)
        {
            try
            {
                switch (await _gate.ResolveAsync(resolver, url, options, cancellationToken).ConfigureAwait(false))
                {
                    case LiveStatus.Live live:
                        return new CheckResult(live, url, null);
                    case LiveStatus.Upcoming announced:
                        upcoming ??= announced;
                        break;
                    case LiveStatus.Offline offline:
                        reasons.Add(_sources.Count == 1 ? offline.Reason : $"{url}: {offline.Reason}");
                        break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogCheckFailed(_log, url, ex.Message);
                error ??= ex;
            }
        }
        return upcoming is not null ? new CheckResult(upcoming, null, null)
            : error is not null ? new CheckResult(null, null, error)
            : new CheckResult(new LiveStatus.Offline(string.Join("; ", reasons)), null, null);
    }

    private void OnResult(CheckResult result)
    {
        _checking = false;
        var report = _reportNext || result.Status?.GetType() != _last?.GetType();
        switch (result.Status)
        {
            case LiveStatus.Live live:
                if (report)
                {
                    Context.Parent.Tell(new WentLive(live.StreamUrl, live.Headers, live.Title, result.SourceUrl!) { Quality = live.Quality });
                }
                else if (live.Title is { } title && title != (_last as LiveStatus.Live)?.Title)
                {
                    Context.Parent.Tell(new TitleSeen(title));
                }
                break;
            case LiveStatus.Upcoming upcoming:
                if (report || upcoming != _last)
                {
                    Context.Parent.Tell(new BroadcastScheduled(upcoming.Title, upcoming.StartsAt));
                }
                break;
            case LiveStatus.Offline offline:
                if (report)
                {
                    Context.Parent.Tell(new WentOffline(offline.Reason));
                }
                break;
        }
        if (result.Status is not null)
        {
            _last = result.Status;
            _reportNext = false;
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

    private sealed record CheckResult(LiveStatus? Status, string? SourceUrl, Exception? Error);
}
