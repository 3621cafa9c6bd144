using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorRecorder.Host.Management;

/// <summary>
/// The cluster (<c>/api/cluster</c>: members, join, leave, down), sharding (<c>/api/sharding</c>: regions, shards and their
/// entities on every node), the live actor tree of this node (<c>/api/actors</c>) and its recent log (<c>/api/logs</c>).
/// </summary>
internal static class ClusterEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster/members", (NodeApi node) => Results.Ok(Members(Cluster.Get(node.System))));
        app.MapPost("/api/cluster/join", (HttpRequest request, NodeApi node, CancellationToken ct) =>
            WithAddressAsync(request, node, mustBeMember: false, ct, (cluster, address) => cluster.Join(address)));
        app.MapPost("/api/cluster/leave", (HttpRequest request, NodeApi node, CancellationToken ct) =>
            WithAddressAsync(request, node, mustBeMember: true, ct, (cluster, address) => cluster.Leave(address)));
        app.MapPost("/api/cluster/down", (HttpRequest request, NodeApi node, CancellationToken ct) =>
            WithAddressAsync(request, node, mustBeMember: true, ct, (cluster, address) => cluster.Down(address)));
        app.MapPost("/api/cluster/down-unreachable", (NodeApi node) =>
        {
            var cluster = Cluster.Get(node.System);
            var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
            foreach (var address in unreachable)
            {
                cluster.Down(address);
            }
            return Results.Ok(new { downed = unreachable.Select(a => a.ToString()) });
        });
        app.MapGet("/api/sharding/regions", async (NodeApi node, CancellationToken ct) =>
        {
            var sharding = ClusterSharding.Get(node.System);
            var regions = new List<RegionView>();
            foreach (var typeName in sharding.ShardTypeNames.Order(StringComparer.Ordinal))
            {
                var stats = await sharding.ShardRegion(typeName).Ask<ClusterShardingStats>(new GetClusterShardingStats(AskTimeout), AskTimeout * 2, ct);
                regions.Add(new RegionView(typeName, stats.Regions.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
                    .Select(r => new RegionStatsView(r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum(), [.. r.Value.Failed.Order(StringComparer.Ordinal)]))
                    .ToList()));
            }
            return Results.Ok(regions);
        });
        app.MapGet("/api/sharding/shards", async (HttpRequest request, NodeApi node, CancellationToken ct) =>
        {
            var typeName = request.Query.TryGetValue("type", out var type) ? type.ToString() : "channel";
            if (!ClusterSharding.Get(node.System).ShardTypeNames.Contains(typeName))
            {
                return Problems.NotFound($"no shard region '{typeName}'; GET /api/sharding/regions lists them");
            }
            var members = Cluster.Get(node.System).State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving).ToList();
            var answers = await Task.WhenAll(members.Select(async member =>
            {
                try
                {
                    var region = node.System.ActorSelection(new RootActorPath(member.Address) / "system" / "sharding" / typeName);
                    var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AskTimeout, ct);
                    return state.Shards.Select(s => new ShardView(s.ShardId, member.Address.ToString(), [.. s.EntityIds.Order(StringComparer.Ordinal)]))
                        .Concat(state.Failed.Select(shard => new ShardView(shard, member.Address.ToString(), ["(the shard did not answer in time)"])));
                }
                catch (AskTimeoutException)
                {
                    return [new ShardView("?", member.Address.ToString(), ["(the node did not answer)"])];
                }
            }));
            return Results.Ok(answers.SelectMany(a => a).OrderBy(s => s.ShardId, StringComparer.Ordinal).ThenBy(s => s.Node, StringComparer.Ordinal));
        });
        app.MapGet("/api/actors", async (HttpRequest request, NodeApi node, CancellationToken ct) =>
        {
            var path = request.Query.TryGetValue("path", out var p) ? p.ToString() : "/user";
            if (!ChannelEndpoints.TryQueryNumber(request, "depth", 0, 10, out var depth, out var error))
            {
                return Problems.BadRequest(error);
            }
            if (!path.StartsWith('/') || path.Contains("..", StringComparison.Ordinal) || path.Contains('*') || path.Contains('?'))
            {
                return Problems.BadRequest($"path must be an actor path from the root such as /user or /system/sharding (no wildcards), got '{path}'");
            }
            var root = await ActorTree.IdentifyAsync(node.System, path, ct);
            return root is null
                ? Problems.NotFound($"no actor at {path} on this node")
                : Results.Ok(await ActorTree.WalkAsync(node.System, root, (int)(depth ?? 4), ct));
        });
        app.MapGet("/api/logs", (HttpRequest request, LogRing logs) =>
            ChannelEndpoints.TryQueryNumber(request, "lines", 1, 100_000, out var lines, out var error)
                ? Results.Ok(logs.Last((int)(lines ?? 50)))
                : Problems.BadRequest(error));
    }

    public static ClusterView Members(Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), state.Members
            .Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)], !unreachable.Contains(m.UniqueAddress),
                m.Address == state.Leader, m.Address == cluster.SelfAddress))
            .ToList());
    }

    /// <summary>Reads <c>{"address": "host:port"}</c> (or a full akka.tcp:// address), then acts on it; 404 for a node that is not a member.</summary>
    private static async Task<IResult> WithAddressAsync(HttpRequest request, NodeApi node, bool mustBeMember, CancellationToken ct, Action<Cluster, Address> act)
    {
        AddressRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<AddressRequest>(request.Body, ManagementJson.Options, ct);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"the body is not valid JSON ({ex.Message}); expected {{\"address\": \"host:port\"}}");
        }
        var cluster = Cluster.Get(node.System);
        if (body?.Address is not { Length: > 0 } text || ParseAddress(text, cluster.SelfAddress) is not { } address)
        {
            return Problems.BadRequest($"'address' must be host:port or {cluster.SelfAddress.Protocol}://{cluster.SelfAddress.System}@host:port, got '{body?.Address}'");
        }
        if (mustBeMember && !cluster.State.Members.Any(m => m.Address == address))
        {
            return Problems.NotFound($"{address} is not a member of this cluster; GET /api/cluster/members lists them");
        }
        act(cluster, address);
        return Results.Json(new { address = address.ToString() }, ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public static Address? ParseAddress(string text, Address self)
    {
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Address.TryParse(text, out var parsed) && parsed.Host is not null && parsed.Port is not null ? parsed : null;
        }
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], out var port) && port is > 0 and < 65536
            ? new Address(self.Protocol, self.System, text[..colon], port)
            : null;
    }
}
