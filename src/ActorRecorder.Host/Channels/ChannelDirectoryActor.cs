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
/// "channel" shard region. A reload starts added channels, sends changed settings, and retires removed ones
/// (they finish their session first); a channel started anywhere (after a restart, on another node) asks
/// here for its settings and is told if it is no longer configured — but only once the directory has the list:
/// until then its question waits. Every minute the directory sends every configured channel its settings again,
/// so a channel that stopped (or passivated while it was being added back) is started again.
/// <para>
/// In a cluster the list is one truth: every node's directory holds the newest edit of any node's file. A list is
/// stamped with when it was edited (the file's modification time at start, the time the edit was seen on a reload);
/// a directory sends its list to every node that comes up and to every node when it adopts a newer one from its own
/// file, answers each list it is sent with its own, and adopts only lists newer than its own. A node whose file is
/// older than the cluster's list (it was down during an edit) runs the cluster's list. Until it has heard from another
/// node (or has seen it is alone, or <see cref="SyncTimeout"/> passed) a cluster node's directory does not answer channels.
/// </para>
/// </summary>
public sealed partial class ChannelDirectoryActor : ReceiveActor, IWithStash, IWithTimers
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a cluster node's directory waits to hear the cluster's list before it answers with its own.</summary>
    public static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(5);

    private readonly IActorRef _region;
    private readonly ILogger _log;
    private readonly Cluster? _cluster;
    private readonly string _origin;
    private readonly HashSet<UniqueAddress> _peers = [];
    private readonly Dictionary<string, ChannelSettings> _configured = new(StringComparer.Ordinal);
    private (long EditedAt, string Origin)? _version;
    private bool _synced;
    private bool _ready;

    /// <param name="clustered">The node is one of several: lists are exchanged with the other nodes' directories.</param>
    public ChannelDirectoryActor(IActorRef region, EngineServices services, bool clustered)
    {
        _region = region;
        _log = services.LoggerFactory.CreateLogger<ChannelDirectoryActor>();
        _cluster = clustered ? Cluster.Get(Context.System) : null;
        _origin = _cluster?.SelfAddress.ToString() ?? "";
        _synced = !clustered;
        Receive<ApplyChannels>(OnApply);
        Receive<ChannelListState>(OnListState);
        Receive<ClusterEvent.MemberUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.MemberRemoved>(removed => _peers.Remove(removed.Member.UniqueAddress));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<SyncTimedOut>(_ =>
        {
            if (!_synced)
            {
                LogSyncTimedOut(_log, SyncTimeout.TotalSeconds);
                _synced = true;
                TryBecomeReady();
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
            foreach (var peer in _peers)
            {
                Publish(peer.Address, isReply: false); // a list lost on the way (a node busy or restarting) is caught up with here
            }
        });
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, EngineServices services, bool clustered) =>
        Akka.Actor.Props.Create(() => new ChannelDirectoryActor(region, services, clustered));

    protected override void PreStart() =>
        _cluster?.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster?.Unsubscribe(Self);

    private void OnApply(ApplyChannels apply)
    {
        var version = (apply.EditedAt.UtcTicks, _origin);
        if (_cluster is not null && _version is { } current)
        {
            if (apply.IsEdit && version.CompareTo(current) <= 0)
            {
                // An edit seen now is the newest edit, whatever the clocks say.
                version = (current.EditedAt + 1, _origin);
            }
            else if (version.CompareTo(current) <= 0)
            {
                // In a cluster the newest edit wins: this node's file is older than the list the cluster runs.
                LogOlderFile(_log, apply.EditedAt, new DateTimeOffset(current.EditedAt, TimeSpan.Zero), current.Origin);
                Sender.Tell(new ChannelsApplied([], [], []));
                return;
            }
        }
        Sender.Tell(Adopt(apply.Channels, version));
        foreach (var peer in _peers)
        {
            Publish(peer.Address, isReply: false);
        }
        TryBecomeReady();
    }

    private void OnListState(ChannelListState state)
    {
        if (!state.IsReply && _version is not null)
        {
            Sender.Tell(new ChannelListState([.. _configured.Values], _version.Value.EditedAt, _version.Value.Origin, IsReply: true));
        }
        var version = (state.EditedAt, state.Origin);
        if (_version is not { } current || version.CompareTo(current) > 0)
        {
            LogAdopted(_log, state.Origin, new DateTimeOffset(state.EditedAt, TimeSpan.Zero));
            Adopt(state.Channels, version);
        }
        _synced = true;
        TryBecomeReady();
    }

    private void OnMemberUp(Member member)
    {
        if (member.UniqueAddress == _cluster!.SelfUniqueAddress)
        {
            if (!_synced && !_cluster.State.Members.Any(m => m.UniqueAddress != member.UniqueAddress && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp))
            {
                _synced = true; // the first node of the cluster: there is nobody to hear from
                TryBecomeReady();
            }
            else if (!_synced)
            {
                Timers.StartSingleTimer("sync", SyncTimedOut.Instance, SyncTimeout);
            }
            return;
        }
        if (_peers.Add(member.UniqueAddress) && _version is not null)
        {
            Publish(member.Address, isReply: false);
        }
    }

    private void Publish(Address peer, bool isReply) =>
        Context.ActorSelection(new RootActorPath(peer) / "user" / "channel-directory")
            .Tell(new ChannelListState([.. _configured.Values], _version!.Value.EditedAt, _version.Value.Origin, isReply));

    private void TryBecomeReady()
    {
        if (_ready || _version is null || !_synced)
        {
            return;
        }
        _ready = true;
        Timers.Cancel("sync");
        Timers.StartPeriodicTimer("resync", Resync.Instance, ResyncInterval);
        if (_cluster is not null)
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

    private ChannelsApplied Adopt(IReadOnlyList<ChannelSettings> channels, (long EditedAt, string Origin) version)
    {
        _version = version;
        var desired = channels.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var removed = _configured.Keys.Where(id => !desired.ContainsKey(id)).ToList();
        var added = new List<string>();
        var updated = new List<string>();
        // A cluster node that has not settled on the cluster's list yet keeps what it learns to itself (see TryBecomeReady).
        var tell = _ready || _cluster is null;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "channels applied: added [{Added}], updated [{Updated}], removed [{Removed}]")]
    private static partial void LogApplied(ILogger logger, string added, string updated, string removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "the channel list edited on {Origin} at {EditedAt:u} is newer than this node's: running it")]
    private static partial void LogAdopted(ILogger logger, string origin, DateTimeOffset editedAt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "this node's configuration file (edited {FileEditedAt:u}) is older than the channel list the cluster runs (edited on {Origin} at {EditedAt:u}): the cluster's list stays in force")]
    private static partial void LogOlderFile(ILogger logger, DateTimeOffset fileEditedAt, DateTimeOffset editedAt, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no other node answered with its channel list within {Seconds} s: running this node's list")]
    private static partial void LogSyncTimedOut(ILogger logger, double seconds);
}
