using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using Akka.Actor;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// Answers <see cref="GetBusyShards"/> for this node: the shards holding a channel with a broadcast in progress, from
/// what each channel reports after its decisions (<see cref="RecorderMetrics.BusyChannels"/>). Lives at
/// <see cref="Path"/> on every node, where the shard coordinator's <see cref="QuietRebalanceStrategy"/> asks.
/// </summary>
public sealed class BusyShardsActor : ReceiveActor
{
    public const string Name = "busy-shards";

    /// <summary>The actor's path below a node's root.</summary>
    public const string Path = "/user/" + Name;

    public BusyShardsActor(RecorderMetrics metrics, Func<string, string> shardOf)
    {
        Receive<GetBusyShards>(_ => Sender.Tell(new BusyShards(
            [.. metrics.BusyChannels.Select(shardOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])));
    }

    public static Props Props(RecorderMetrics metrics, Func<string, string> shardOf) =>
        Akka.Actor.Props.Create(() => new BusyShardsActor(metrics, shardOf));
}
