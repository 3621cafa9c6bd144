using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// Which channels exist (<c>/user/channel-directory</c>): the configured list, kept running through the
/// "channel" shard region. A change starts added channels, sends changed settings, and retires removed ones
/// (they finish their session first); a channel started anywhere (after a restart, on another node) asks
/// here for its settings and is told if it is no longer configured — but only once the directory has the list:
/// until then its question waits. Every minute the directory sends every configured channel its settings again,
/// so a channel that stopped (or passivated while it was being added back) is started again.
/// <para>
/// On a node of its own the list is the node's configuration. In a cluster it is one truth kept by the list entity
/// (<see cref="ChannelListActor"/>, in the shared journal): the directory states its node's list there (at start and on
/// every edit, again until the entity answers) and runs the list the entity sends, the one with the highest version.
/// Until it has the cluster's list a cluster node's directory does not answer channels: running its own file's list
/// instead would retire, cluster-wide, a channel that file does not name (one added elsewhere) wherever it records.
/// </para>
/// </summary>
public sealed partial class ChannelDirectoryActor : ReceiveActor, IWithStash, IWithTimers
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long the entity has to answer a statement before it is sent again.</summary>
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a cluster node's directory waits for the cluster's list before it says it still waits.</summary>
    public static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(5);

    private readonly IActorRef _region;
    private readonly ILogger _log;
    private readonly IActorRef? _list;
    private readonly string _origin;
    private readonly Dictionary<string, ChannelSettings> _configured = new(StringComparer.Ordinal);
    private StateChannels? _statement;
    private long _version = -1;
    private bool _synced;
    private bool _ready;
    private int _stating;

    /// <param name="list">In a cluster, the proxy of the list entity; null on a node of its own.</param>
    /// <param name="origin">How the node names itself in its statements (its public host:port, the same across restarts).</param>
    public ChannelDirectoryActor(IActorRef region, EngineServices services, IActorRef? list, string origin)
    {
        _region = region;
        _log = services.LoggerFactory.CreateLogger<ChannelDirectoryActor>();
        _list = list;
        _origin = origin;
        _synced = list is null;
        Receive<ApplyChannels>(OnApply);
        Receive<ChannelList>(OnList);
        Receive<Stated>(OnStated);
        Receive<StateAgain>(_ => State(null));
        Receive<SyncTimedOut>(_ =>
        {
            if (!_synced)
            {
                LogSyncTimedOut(_log, SyncTimeout.TotalSeconds);
            }
        });
        Receive<GetChannelSettings>(request =>
        {
            if (!_ready)
            {
                Stash.Stash();
                return;
            }
            Sender.Tell(_configured.TryGetValue(request.ChannelId, out var settings) ? new ConfigureChannel(settings) : new ChannelNotConfigured());
        });
        Receive<GetConfiguredChannels>(_ =>
        {
            if (_ready)
            {
                Sender.Tell((IReadOnlyList<ChannelSettings>)[.. _configured.Values.OrderBy(c => c.Id, StringComparer.Ordinal)]);
            }
            else
            {
                Stash.Stash();
            }
        });
        Receive<GetChannelStatuses>(_ =>
        {
            if (_ready)
            {
                StatusesAsync([.. _configured.Keys]).PipeTo(Sender);
            }
            else
            {
                Sender.Tell((IReadOnlyList<ChannelStatus>)ImmutableList<ChannelStatus>.Empty);
            }
        });
        Receive<Resync>(_ =>
        {
            ConfigureAll();
            _list?.Tell(GetChannelList.Instance); // a list lost on the way (this node busy or restarting) is caught up with here
        });
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, EngineServices services, IActorRef? list, string origin) =>
        Akka.Actor.Props.Create(() => new ChannelDirectoryActor(region, services, list, origin));

    private void OnApply(ApplyChannels apply)
    {
        if (_list is null)
        {
            Sender.Tell(Adopt(apply.Channels));
            TryBecomeReady();
            return;
        }
        _statement = new StateChannels(_origin, apply.Channels, apply.Removed);
        if (!_synced)
        {
            Timers.StartSingleTimer("sync", SyncTimedOut.Instance, SyncTimeout);
        }
        State(Sender);
    }

    /// <summary>Sends this node's statement to the list entity; <paramref name="asker"/> gets what it changed (once).</summary>
    private void State(IActorRef? asker)
    {
        if (_statement is not { } statement)
        {
            return;
        }
        var attempt = ++_stating;
        _list!.Ask<ChannelsStated>(statement, StatementTimeout)
            .PipeTo(Self, success: stated => new Stated(attempt, statement, stated, asker, null),
                failure: ex => new Stated(attempt, statement, null, asker, ex.Message));
    }

    private void OnStated(Stated stated)
    {
        if (stated.Answer is not { } answer)
        {
            // The entity is moving (its node died) or the database does not answer: the statement goes again.
            LogStatementUnanswered(_log, stated.Error ?? "no answer", StatementTimeout.TotalSeconds);
            stated.Asker?.Tell(new ChannelsApplied([], [], []));
            if (stated.Attempt == _stating)
            {
                Timers.StartSingleTimer("state", StateAgain.Instance, TimeSpan.FromSeconds(2));
            }
            return;
        }
        OnList(answer.List);
        stated.Asker?.Tell(new ChannelsApplied(answer.Added, answer.Updated, answer.Removed));
    }

    private void OnList(ChannelList list)
    {
        if (list.Version <= _version || (list.Version == 0 && !_synced))
        {
            return; // an older list, or nothing stated yet (this node's statement is on its way)
        }
        _version = list.Version;
        Adopt(list.Channels);
        _synced = true;
        TryBecomeReady();
    }

    private void TryBecomeReady()
    {
        if (_ready || !_synced)
        {
            return;
        }
        _ready = true;
        Timers.Cancel("sync");
        Timers.StartPeriodicTimer("resync", Resync.Instance, ResyncInterval);
        if (_list is not null)
        {
            ConfigureAll(); // the list it settled on, told to the channels only now: a stale file never reaches them
        }
        Stash.UnstashAll();
    }

    private void ConfigureAll()
    {
        foreach (var (id, settings) in _configured)
        {
            _region.Tell(new ShardingEnvelope(id, new ConfigureChannel(settings)));
        }
    }

    private ChannelsApplied Adopt(IReadOnlyList<ChannelSettings> channels)
    {
        var desired = channels.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var removed = _configured.Keys.Where(id => !desired.ContainsKey(id)).ToList();
        var added = new List<string>();
        var updated = new List<string>();
        // A cluster node that has not settled on the cluster's list yet keeps what it learns to itself (see TryBecomeReady).
        var tell = _ready || _list is null;
        foreach (var id in removed)
        {
            _configured.Remove(id);
            if (tell)
            {
                _region.Tell(new ShardingEnvelope(id, new RetireChannel()));
            }
        }
        foreach (var (id, settings) in desired)
        {
            if (_configured.TryGetValue(id, out var old) && old == settings)
            {
                continue;
            }
            (old is null ? added : updated).Add(id);
            _configured[id] = settings;
            if (tell)
            {
                _region.Tell(new ShardingEnvelope(id, new ConfigureChannel(settings)));
            }
        }
        if (added.Count + updated.Count + removed.Count > 0)
        {
            LogApplied(_log, string.Join(", ", added), string.Join(", ", updated), string.Join(", ", removed));
        }
        return new ChannelsApplied(added, updated, removed);
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

    private sealed class SyncTimedOut
    {
        public static readonly SyncTimedOut Instance = new();
    }

    private sealed class StateAgain
    {
        public static readonly StateAgain Instance = new();
    }

    private sealed record Stated(int Attempt, StateChannels Statement, ChannelsStated? Answer, IActorRef? Asker, string? Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "channels applied: added [{Added}], updated [{Updated}], removed [{Removed}]")]
    private static partial void LogApplied(ILogger logger, string added, string updated, string removed);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "the cluster's channel list did not take this node's list ({Reason}; asked for {Seconds} s): stating it again")]
    private static partial void LogStatementUnanswered(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the cluster's channel list did not answer within {Seconds} s: this node's channels wait for it")]
    private static partial void LogSyncTimedOut(ILogger logger, double seconds);
}
