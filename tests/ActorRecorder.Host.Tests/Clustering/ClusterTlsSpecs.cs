using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using ActorRecorder.Engine.Settings;
using Xunit.Abstractions;
using EngineChannelList = ActorRecorder.Engine.Channel.ChannelList;

namespace ActorRecorder.Host.Tests.Clustering;

/// <summary>
/// The cluster port under mutual TLS, on real node processes: the nodes cluster and record as before, and an actor system
/// without a certificate of the cluster's CA — plain TCP, or TLS with its own CA — can neither join nor reach an actor,
/// so it cannot change the channel list (it sends the one message that would retire every channel).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTlsSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly string _certificates = Directory.CreateTempSubdirectory("ar-cluster-tls-").FullName;

    public void Dispose() => Directory.Delete(_certificates, recursive: true);

    [Fact(Timeout = 300_000)]
    public async Task Nodes_must_cluster_over_mutual_tls_and_a_system_without_the_cas_certificate_must_neither_join_nor_change_the_channel_list()
    {
        var foreignCa = Path.Combine(_certificates, "foreign");
        ClusterCertificates.Create(foreignCa, ["127.0.0.1"], TimeSpan.FromDays(1));
        await using var scene = await ClusterScene.StartAsync(output, nodes: 2, channels: 4, tls: true); // a CA and a certificate per node
        await scene.AllRecordingAsync(each: 1, Patience);
        var placed = new Dictionary<string, int>(scene.Watch.Placement);
        var target = scene.Lab.Nodes[0];

        var foreignCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(foreignCa, "127.0.0.1.pem"), Path.Combine(foreignCa, "127.0.0.1-key.pem"));
        foreach (var (name, ssl) in new (string, DotNettySslSetup?)[]
                 {
                     ("plain TCP", null),
                     ("TLS with another CA's certificate", new DotNettySslSetup(foreignCertificate, suppressValidation: true, requireMutualAuthentication: true)),
                 })
        {
            scene.Say($"a foreign system over {name} tries to join and to replace the channel list");
            var foreign = Foreign(ssl);
            var address = $"{(ssl is null ? "akka.tcp" : "akka.ssl.tcp")}://actorrecorder@127.0.0.1:{target.Port}";
            try
            {
                Cluster.Get(foreign).Join(Address.Parse(address));
                var directory = foreign.ActorSelection($"{address}/user/channel-directory");
                directory.Tell(new EngineChannelList(1_000_000, [])); // would retire every channel
                await Assert.ThrowsAsync<ActorNotFoundException>(() => directory.ResolveOne(TimeSpan.FromSeconds(10)));
                Assert.NotEqual(MemberStatus.Up, Cluster.Get(foreign).SelfMember.Status);
            }
            finally
            {
                await foreign.Terminate();
            }
        }
        Assert.True(target.SaidSinceStart("which the cluster's CA did not sign"), "the node logs the refused certificate");

        // Nothing changed: the same two members record every channel where they did.
        await scene.AllRecordingAsync(each: 1, Patience);
        Assert.Equal(placed.OrderBy(p => p.Key), scene.Watch.Placement.OrderBy(p => p.Key));
    }

    /// <summary>An actor system named like the cluster's, with the recorder's serializer, over plain TCP or the given TLS.</summary>
    private static ActorSystem Foreign(DotNettySslSetup? ssl)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, enable-ssl = {{(ssl is null ? "off" : "on")}} }
            akka.actor.serializers.recorder = "ActorRecorder.Engine.Serialization.RecorderSerializer, ActorRecorder.Engine"
            akka.actor.serialization-bindings { "ActorRecorder.Engine.Serialization.IRecorderMessage, ActorRecorder.Engine" = recorder }
            akka.cluster.retry-unsuccessful-join-after = 1s
            """);
        var setup = BootstrapSetup.Create().WithConfig(config);
        return ssl is null ? ActorSystem.Create("actorrecorder", setup) : ActorSystem.Create("actorrecorder", setup.And(ssl));
    }
}
