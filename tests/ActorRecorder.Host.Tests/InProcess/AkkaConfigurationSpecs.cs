using Akka.Cluster;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>The node's actor system: a cluster of one, our serializer for what is persisted, and the user's own <c>akka { }</c> block on top.</summary>
public sealed class AkkaConfigurationSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 60_000)]
    public async Task The_node_must_be_a_cluster_of_one_with_our_serializer_and_the_users_akka_block_last()
    {
        await StartNodeAsync(outside: "akka { cluster.sharding.entity-restart-backoff = 2s, loglevel = WARNING }");

        var config = Node.System.Settings.Config;
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.sharding.entity-restart-backoff")); // ours says 5 s
        Assert.Equal("WARNING", config.GetString("akka.loglevel"));
        var cluster = Cluster.Get(Node.System);
        await NodeWorkspace.Eventually(() => Task.FromResult(cluster.State.Members.Count(m => m.Status == MemberStatus.Up) == 1),
            () => "the node Up in its own cluster", Patience);
        Assert.Equal("127.0.0.1", cluster.SelfAddress.Host);
        Assert.IsType<RecorderSerializer>(Node.System.Serialization.FindSerializerFor(new ChannelPaused(DateTimeOffset.UnixEpoch)));
        Assert.IsType<RecorderSerializer>(Node.System.Serialization.FindSerializerFor(new PersistedState()));
    }
}
