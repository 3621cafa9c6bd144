using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// Where the shard coordinator puts the channel shards: a new or moved shard goes to the Up node with the fewest
/// shards (as Akka's least-shard strategy does), and balancing moves only shards with no broadcast in progress. Moving
/// a shard stops its channels and starts them on another node, so a recording channel moved to even out the load would
/// lose the seconds of its broadcast the move takes; a node that joins (a rolling deploy, a restart) therefore takes
/// idle channels at once and the recording ones as their broadcasts end. A node that leaves still hands everything off
/// (that is the coordinator's hand-off, not a rebalance), and a dead node's shards go wherever this says.
/// </summary>
/// <remarks>
/// Each round (every rebalance-interval) works out, like the least-shard strategy, how many shards each node holds above
/// its fair share (at most the absolute and relative limits in all), and only when some node does, asks those nodes which
/// of their shards are busy (<see cref="GetBusyShards"/> to <see cref="BusyShardsActor"/>); a node that does not answer in
/// time counts as all busy. Nothing moves while a node is joining or leaving, or while a previous move is in progress.
/// </remarks>
public sealed class QuietRebalanceStrategy : IShardAllocationStrategy
{
    private static readonly IImmutableSet<string> Nothing = ImmutableHashSet<string>.Empty;

    private readonly ActorSystem _system;
    private readonly Cluster _cluster;
    private readonly ILoggingAdapter _log;
    private readonly int _absoluteLimit;
    private readonly double _relativeLimit;
    private readonly TimeSpan _askTimeout;
    private string _lastDeferred = "";

    public QuietRebalanceStrategy(ActorSystem system, int absoluteLimit, double relativeLimit, TimeSpan askTimeout)
    {
        _system = system;
        _cluster = Cluster.Get(system);
        _log = Logging.GetLogger(system, typeof(QuietRebalanceStrategy));
        _absoluteLimit = absoluteLimit;
        _relativeLimit = relativeLimit;
        _askTimeout = askTimeout;
    }

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var up = currentShardAllocations.Where(region => IsUp(region.Key)).ToList();
        var candidates = up.Count > 0 ? up : [.. currentShardAllocations];
        var chosen = candidates
            .OrderBy(region => region.Value.Count)
            .ThenBy(region => AddressOf(region.Key).ToString(), StringComparer.Ordinal)
            .First().Key;
        return Task.FromResult(chosen);
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        if (rebalanceInProgress.Count > 0 || currentShardAllocations.Count < 2 || !currentShardAllocations.Keys.All(IsUp))
        {
            return Nothing; // one move at a time, and none while the membership changes
        }
        var excess = Excess(currentShardAllocations);
        if (excess.Count == 0)
        {
            return Nothing;
        }
        var total = currentShardAllocations.Values.Sum(shards => shards.Count);
        var limit = Math.Max(1, Math.Min((int)(_relativeLimit * total), _absoluteLimit));
        var regions = excess.Keys.ToList();
        var busy = await Task.WhenAll(regions.Select(BusyOnAsync)).ConfigureAwait(false);
        var busyByRegion = regions.Select((region, i) => (region, busy[i])).ToDictionary(pair => pair.region, pair => pair.Item2);

        var chosen = new List<string>();
        var deferred = new List<string>();
        foreach (var (region, surplus) in excess)
        {
            var idle = currentShardAllocations[region]
                .Where(shard => busyByRegion[region] is { } busyShards && !busyShards.Contains(shard))
                .Order(StringComparer.Ordinal)
                .Take(surplus)
                .ToList();
            chosen.AddRange(idle);
            if (idle.Count < surplus)
            {
                deferred.Add($"{AddressOf(region)}: {surplus - idle.Count}");
            }
        }
        Report(deferred, currentShardAllocations.Count);
        return chosen.Take(limit).ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// How many shards each node should give up: what it holds above the fair share rounded up; when no node does, one
    /// from each node at the fair share while some node is two or more below it (as Akka's least-shard strategy).
    /// </summary>
    private static Dictionary<IActorRef, int> Excess(IImmutableDictionary<IActorRef, IImmutableList<string>> allocations)
    {
        var total = allocations.Values.Sum(shards => shards.Count);
        var optimal = (total + allocations.Count - 1) / allocations.Count;
        var above = allocations.Where(region => region.Value.Count > optimal).ToDictionary(region => region.Key, region => region.Value.Count - optimal);
        if (above.Count > 0)
        {
            return above;
        }
        var belowBy2 = allocations.Values.Sum(shards => Math.Max(0, optimal - 1 - shards.Count));
        return allocations
            .Where(region => region.Value.Count >= optimal)
            .OrderByDescending(region => region.Value.Count)
            .Take(belowBy2)
            .ToDictionary(region => region.Key, _ => 1);
    }

    /// <summary>The busy shards of a region's node; null (all busy) when it does not answer in time.</summary>
    private async Task<IReadOnlySet<string>?> BusyOnAsync(IActorRef region)
    {
        var address = AddressOf(region);
        try
        {
            var answer = await _system.ActorSelection(new RootActorPath(address) / "user" / BusyShardsActor.Name)
                .Ask<BusyShards>(new GetBusyShards(), _askTimeout).ConfigureAwait(false);
            return answer.ShardIds.ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e)
        {
            _log.Warning("Node {0} did not say which of its shards record ({1}); none of its shards moves this round", address, e.Message);
            return null;
        }
    }

    /// <summary>Logs what stays in place whenever that, or the number of nodes, changes (not every round).</summary>
    private void Report(List<string> deferred, int nodes)
    {
        var text = deferred.Count == 0 ? "" : $"{nodes} nodes; shards kept by node: {string.Join(", ", deferred)}";
        if (text != _lastDeferred && text.Length > 0)
        {
            _log.Info("Rebalance waits for broadcasts to end before moving recording channels ({0})", text);
        }
        _lastDeferred = text;
    }

    private Address AddressOf(IActorRef region) => region.Path.Address.HasGlobalScope ? region.Path.Address : _cluster.SelfAddress;

    private bool IsUp(IActorRef region)
    {
        var address = AddressOf(region);
        return _cluster.State.Members.Any(member => member.Address == address && member.Status == MemberStatus.Up);
    }

    public override string ToString() => $"QuietRebalanceStrategy({_absoluteLimit}, {_relativeLimit})";
}
