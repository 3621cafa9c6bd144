using Akka.Cluster.Sharding;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// The "channel" region's extractor: messages reach channel entities in <see cref="ShardingEnvelope"/>s (which the
/// region unwraps itself), entity id = channel id; the shard is a MurmurHash of it, stable across processes and
/// versions (unlike string.GetHashCode), so a channel's shard never moves because a node was upgraded.
/// </summary>
public sealed class ChannelMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    /// <summary>Ten times the nodes a cluster is expected to grow to; channels spread evenly and a shard moves cheaply.</summary>
    public const int DefaultShards = 100;

    /// <summary>Only envelopes are sent to the region: nothing else names an entity.</summary>
    public override string? EntityId(object message) => null;
}
