using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// Which channels exist (<c>/user/channel-directory</c>): the configured list, kept running through the
/// "channel" shard region. A reload starts added channels, sends changed settings, and retires removed ones
/// (they finish their session first); a channel started anywhere (after a restart, on another node) asks
/// here for its settings and is told if it is no longer configured — but only once the directory has the list:
/// until then its question waits. Every minute the directory sends every configured channel its settings again,
/// so a channel that stopped (or passivated while it was being added back) is started again.
/// </summary>
public sealed partial class ChannelDirectoryActor : ReceiveActor, IWithStash, IWithTimers
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromMinutes(1);
    private readonly IActorRef _region;
    private readonly ILogger _log;
    private readonly Dictionary<string, ChannelSettings> _configured = new(StringComparer.Ordinal);

    public ChannelDirectoryActor(IActorRef region, EngineServices services)
    {
        _region = region;
        _log = services.LoggerFactory.CreateLogger<ChannelDirectoryActor>();
        Receive<ApplyChannels>(apply =>
        {
            OnApply(apply);
            Become(Ready);
            Stash.UnstashAll();
            Timers.StartPeriodicTimer("resync", Resync.Instance, ResyncInterval);
        });
        Receive<GetChannelSettings>(_ => Stash.Stash());
        Receive<GetChannelStatuses>(_ => Sender.Tell((IReadOnlyList<ChannelStatus>)ImmutableList<ChannelStatus>.Empty));
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    private void Ready()
    {
        Receive<ApplyChannels>(OnApply);
        Receive<GetChannelSettings>(request => Sender.Tell(_configured.TryGetValue(request.ChannelId, out var settings)
            ? new ConfigureChannel(settings)
            : new ChannelNotConfigured()));
        Receive<GetChannelStatuses>(_ => StatusesAsync([.. _configured.Keys]).PipeTo(Sender));
        Receive<Resync>(_ =>
        {
            foreach (var (id, settings) in _configured)
            {
                _region.Tell(new ShardingEnvelope(id, new ConfigureChannel(settings)));
            }
        });
    }

    public static Props Props(IActorRef region, EngineServices services) => Akka.Actor.Props.Create(() => new ChannelDirectoryActor(region, services));

    private void OnApply(ApplyChannels apply)
    {
        var desired = apply.Channels.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var removed = _configured.Keys.Where(id => !desired.ContainsKey(id)).ToList();
        var added = new List<string>();
        var updated = new List<string>();
        foreach (var id in removed)
        {
            _configured.Remove(id);
            _region.Tell(new ShardingEnvelope(id, new RetireChannel()));
        }
        foreach (var (id, settings) in desired)
        {
            if (_configured.TryGetValue(id, out var old) && old == settings)
            {
                continue;
            }
            (old is null ? added : updated).Add(id);
            _configured[id] = settings;
            _region.Tell(new ShardingEnvelope(id, new ConfigureChannel(settings)));
        }
        if (added.Count + updated.Count + removed.Count > 0)
        {
            LogApplied(_log, string.Join(", ", added), string.Join(", ", updated), string.Join(", ", removed));
        }
        Sender.Tell(new ChannelsApplied(added, updated, removed));
    }

    private async Task<IReadOnlyList<ChannelStatus>> StatusesAsync(IReadOnlyList<string> ids)
    {
        var statuses = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await _region.Ask<ChannelStatus>(new ShardingEnvelope(id, new GetChannelStatus()), StatusTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return null; // starting, or its node is gone: it is missing from this answer
            }
        })).ConfigureAwait(false);
        return statuses.OfType<ChannelStatus>().OrderBy(s => s.ChannelId, StringComparer.Ordinal).ToImmutableList();
    }

    private sealed class Resync
    {
        public static readonly Resync Instance = new();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "channels applied: added [{Added}], updated [{Updated}], removed [{Removed}]")]
    private static partial void LogApplied(ILogger logger, string added, string updated, string removed);
}
