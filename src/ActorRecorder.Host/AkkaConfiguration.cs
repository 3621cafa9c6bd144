using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Coordination;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting.Coordination;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Pattern;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;
using ActorRecorder.Host.Journal;
using ActorRecorder.Host.Leases;
using ActorRecorder.Host.Leases.Internal;
using AkkaConfig = Akka.Configuration.Config;
using RecorderCluster = ActorRecorder.Engine.Settings.ClusterSettings;

namespace ActorRecorder.Host;

/// <summary>
/// The whole actor system of a node in one place: our serializer, remoting and a cluster (of one on
/// 127.0.0.1 by default), the "channel" shard region with remembered entities, the SQL journal, the channel
/// directory and logging through Microsoft.Extensions.Logging. Akka is configured from typed settings; HOCON
/// only for what has no typed option, and the user's own <c>akka { }</c> block last, so operators can tune anything.
/// </summary>
public static class AkkaConfiguration
{
    public const string SystemName = "actorrecorder";

    /// <summary>Settings with no typed option in Akka.Hosting.</summary>
    private const string Tuning = """
        # The recorder's own timers are seconds long; Akka's default 10 ms tick wakes the node 100 times a second and
        # costs an idle node about 6 % of a core on its own. 100 ms keeps every Akka timeout well within its tolerance.
        akka.scheduler.tick-duration = 100ms
        akka.cluster.sharding {
          # A stopped (not passivated) entity comes back after this: a channel whose journal write failed replays and goes on.
          entity-restart-backoff = 5s
        }
        # Hand-off waits for every channel to let ffmpeg finish its file and persist it (a channel gives ffmpeg at most 7 s);
        # with the rest of the shutdown this keeps a node's stop within its 10 s budget.
        akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 8s
        akka.coordinated-shutdown.phases.actor-system-terminate.timeout = 2s
        """;

    /// <param name="lease">The shard lease (and the resolver's, for lease-majority); required in a cluster, unused in a cluster of one.</param>
    /// <param name="database">Where a cluster node reports how it stands with the leases' database.</param>
    public static AkkaConfigurationBuilder AddRecorder(this AkkaConfigurationBuilder akka, NodeSettings settings, EngineServices services,
        AkkaConfig? userAkka, LeaseOptionBase? lease = null, DatabaseHealth? database = null)
    {
        var cluster = settings.Cluster;
        if (!cluster.IsSingleNode && lease is null)
        {
            throw new ArgumentException("a cluster node needs the shard lease", nameof(lease));
        }
        akka.AddHocon(Tuning, HoconAddMode.Prepend)
            .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
            .WithRemoting(Remoting(cluster))
            .WithClustering(ClusterOptionsOf(cluster, lease))
            .AddHocon(UntrustedMode, HoconAddMode.Prepend);
        if (cluster.IsSingleNode)
        {
            akka.AddStartup((system, _) =>
            {
                // A cluster of one: the node is its own seed.
                var self = Cluster.Get(system);
                self.Join(self.SelfAddress);
            });
        }
        else
        {
            akka.AddHocon(ClusterTuning(cluster), HoconAddMode.Prepend);
            lease!.Apply(akka);
        }
        var extractor = new ChannelMessageExtractor(ChannelMessageExtractor.DefaultShards);
        akka.WithRecorderJournal(settings.Journal);
        if (!cluster.IsSingleNode)
        {
            akka.AddHocon(OutageJournal(cluster), HoconAddMode.Prepend);
        }
        akka.AddHocon(ShardingHocon(cluster.IsSingleNode ? null : lease), HoconAddMode.Prepend)
            .AddHocon(ClusterSharding.DefaultConfig().WithFallback(Akka.DistributedData.DistributedData.DefaultConfig()), HoconAddMode.Append)
            .WithActors((ActorStarter)(async (system, registry) =>
            {
                // Started by hand rather than with Akka.Hosting's WithShardRegion, which has no way to set the allocation strategy.
                var channels = cluster.IsSingleNode ? services : services with { HoldsChannel = ShardLeaseFence(system, lease!, extractor) };
                var sharding = ClusterShardingSettings.Create(system);
                var strategy = new QuietRebalanceStrategy(system, sharding.TuningParameters.LeastShardAllocationAbsoluteLimit,
                    sharding.TuningParameters.LeastShardAllocationRelativeLimit, BusyShardsAskTimeout);
                var region = await ClusterSharding.Get(system).StartAsync("channel",
                    channelId => ChannelActor.Props(channelId, channels, system.ActorSelection("/user/channel-directory")),
                    sharding, extractor, strategy, new ShutdownChannel()).ConfigureAwait(false);
                registry.Register<ChannelRegion>(region);
                system.ActorOf(BusyShardsActor.Props(services.Metrics, channelId => extractor.ShardId(channelId)), BusyShardsActor.Name);
                if (!cluster.IsSingleNode)
                {
                    system.ActorOf(CrashedNodeDowner.Props(), CrashedNodeDowner.Name);
                }
                if (lease is PostgresLeaseOption postgres)
                {
                    var store = PostgresLeaseStores.Get(system).For(postgres.ConnectionString);
                    system.ActorOf(DatabaseWatchActor.Props(store, cluster, database ?? new DatabaseHealth()), DatabaseWatchActor.Name);
                }
            }))
            .WithActors((system, registry) =>
            {
                var list = cluster.IsSingleNode ? null : ChannelListSingleton(system);
                var origin = cluster.IsSingleNode ? "" : $"{(cluster.PublicHostname is { Length: > 0 } name ? name : cluster.Hostname)}:{cluster.Port}";
                registry.Register<ChannelDirectory>(system.ActorOf(ChannelDirectoryActor.Props(registry.Get<ChannelRegion>(), services, list, origin), "channel-directory"));
            })
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
        if (userAkka is not null)
        {
            akka.AddHocon(userAkka, HoconAddMode.Prepend);
        }
        return akka;
    }

    /// <summary>
    /// The cluster's channel list entity as a singleton on the oldest node (restarted with a back-off when it stops, e.g. a
    /// journal write failed), and the proxy every node's directory talks to.
    /// </summary>
    private static IActorRef ChannelListSingleton(ActorSystem system)
    {
        var entity = BackoffSupervisor.Props(Backoff.OnStop(ChannelListActor.Props(), "entity", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, maxNrOfRetries: -1));
        system.ActorOf(ClusterSingletonManager.Props(entity, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)), ChannelListActor.Name);
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{ChannelListActor.Name}", ClusterSingletonProxySettings.Create(system)), ChannelListActor.ProxyName);
    }

    private static RemoteOptions Remoting(RecorderCluster cluster)
    {
        var remote = new RemoteOptions
        {
            HostName = cluster.Hostname, Port = cluster.Port, PublicHostName = cluster.PublicHostname,
            // The channel directory sends its whole list to each peer: a thousand channels' settings are about 1 MB.
            MaxFrameSize = MaxFrameSize,
        };
        if (cluster.Tls is { } tls)
        {
            remote.EnableSsl = true;
            remote.Ssl = MutualTls(tls);
        }
        return remote;
    }

    /// <summary>
    /// Mutual TLS on the cluster port: the node presents its certificate, and a peer's (client or server) is accepted only
    /// when it chains up to the cluster's CA; the machine's trust store is not asked, and host names are not checked (a
    /// node is reached by any of its addresses; the CA is what vouches for it).
    /// </summary>
    private static SslOptions MutualTls(ClusterTlsSettings tls)
    {
        var ca = ClusterCertificates.LoadCa(tls.CaPath);
        return new SslOptions
        {
            X509Certificate = ClusterCertificates.LoadNode(tls),
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = false,
            CustomValidator = (certificate, _, peer, _, log) =>
            {
                if (certificate is null)
                {
                    log.Warning("Cluster TLS: {0} presented no certificate: refused", peer);
                    return false;
                }
                if (!ClusterCertificates.SignedBy(certificate, ca, out var problem))
                {
                    log.Warning("Cluster TLS: {0} presented {1}, which the cluster's CA did not sign ({2}): refused", peer, certificate.Subject, problem);
                    return false;
                }
                return true;
            },
        };
    }

    /// <summary>
    /// What another actor system may send this one: no remote deployment, no system messages such as a PoisonPill, and
    /// actor selections only to the paths the cluster needs (Akka's membership, heartbeats, sharding and its coordinator
    /// and replicator, the channel list singleton, and the recorder's own per-node actors). A peer's messages to actors it
    /// was given a reference to (a reply, a watched actor) arrive as before.
    /// </summary>
    private const string UntrustedMode = """
        akka.remote {
          untrusted-mode = on
          trusted-selection-paths = [
            "/system/cluster/core/daemon", "/system/cluster/heartbeatReceiver", "/system/remote-watcher",
            "/system/sharding/channel", "/system/sharding/channelCoordinator", "/system/sharding/channelCoordinator/singleton/coordinator",
            "/system/sharding/replicator",
            "/user/channel-list", "/user/channel-list/singleton",
            "/user/channel-directory", "/user/busy-shards", "/user/database-watch"
          ]
        }
        """;

    /// <summary>How often a shard whose lease is held elsewhere (by a node that just died) tries again.</summary>
    private static readonly TimeSpan LeaseRetryInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the coordinator waits for a node to say which of its shards record before it moves none of them.</summary>
    private static readonly TimeSpan BusyShardsAskTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The channel region: every channel is remembered, so it runs again after any failure; a channel stops only when its
    /// shard moves or the node stops (ShutdownChannel lets ffmpeg finish its file), never for being idle; in a cluster
    /// every shard runs under a lease in PostgreSQL, so a node that lost it (frozen, cut off) stops the shard.
    /// </summary>
    private static string ShardingHocon(LeaseOptionBase? lease) => $$"""
        akka.cluster.sharding {
          remember-entities = on
          remember-entities-store = eventsourced
          state-store-mode = ddata
          passivate-idle-entity-after = off
          {{(lease is null ? "" : $"use-lease = \"{lease.ConfigPath}\"\n  lease-retry-interval = {Millis(LeaseRetryInterval)}")}}
        }
        """;

    /// <summary>
    /// Whether this node holds a channel: whether the lease of its shard (the very instance the shard acquired: the
    /// provider keeps one per name and owner) is still valid by this process's clock.
    /// </summary>
    private static Func<string, bool> ShardLeaseFence(ActorSystem system, LeaseOptionBase lease, ChannelMessageExtractor extractor)
    {
        var provider = LeaseProvider.Get(system);
        var owner = Cluster.Get(system).SelfAddress.HostPort();
        return channelId => provider.GetLease($"{system.Name}-shard-channel-{extractor.ShardId(channelId)}", lease.ConfigPath, owner).CheckLease();
    }

    /// <summary>The failure detector and the split-brain resolver from the node's settings.</summary>
    private static ClusterOptions ClusterOptionsOf(RecorderCluster cluster, LeaseOptionBase? lease) => new()
    {
        // With TLS the transport's scheme is akka.ssl.tcp.
        SeedNodes = cluster.SeedNodes.Select(seed => $"{(cluster.Tls is null ? "akka.tcp" : "akka.ssl.tcp")}://{SystemName}@{seed}").ToArray(),
        Roles = cluster.Roles.ToArray(),
        FailureDetector = new PhiAccrualFailureDetectorOptions
        {
            HeartbeatInterval = cluster.HeartbeatInterval,
            AcceptableHeartbeatPause = cluster.AcceptableHeartbeatPause,
            // A missing answer to the first heartbeat counts as late after this (Akka: 1 s, too slow beside a 1 s interval).
            ExpectedResponseAfter = cluster.HeartbeatInterval,
            UnreachableNodesReaperInterval = cluster.HeartbeatInterval / 2,
        },
        SplitBrainResolver = cluster.Downing == "lease-majority" && lease is not null
            ? new LeaseMajorityOption { LeaseImplementation = lease, LeaseName = $"{SystemName}-sbr" }
            : new KeepMajorityOption(),
    };

    /// <summary>
    /// The knobs behind failover that have no typed option. Akka's defaults are tuned for big clusters on busy networks:
    /// gossip and the leader act once a second and sharding retries every 2 to 5 s; together with a 20 s stable-after they
    /// take about 46 s from a node's death to its channels recording elsewhere. A recorder's cluster has a handful of nodes,
    /// so gossip four times as often costs nothing worth measuring.
    /// </summary>
    private static string ClusterTuning(RecorderCluster cluster) => $$"""
        akka.cluster {
          periodic-tasks-initial-delay = 500ms
          # Each step of a failover (unreachable seen by all, the downing decision, the removal, the new coordinator)
          # waits for the next gossip or leader tick: 250 ms instead of 1 s takes seconds off, for a few messages a
          # second between a handful of nodes.
          gossip-interval = 250ms
          leader-actions-interval = 250ms
          down-removal-margin = {{Millis(cluster.DownRemovalMargin)}}
          retry-unsuccessful-join-after = 2s
          split-brain-resolver {
            stable-after = {{Millis(cluster.StableAfter)}}
            # Akka downs every node when reachability keeps changing for stable-after + max(3/4 stable-after, 4 s); on a
            # busy 2-core node heartbeats can flap that long without anyone being gone, so it waits longer before that.
            down-all-when-unstable = 15s
          }
          singleton.hand-over-retry-interval = 500ms
          sharding {
            # A region asks the (possibly new) coordinator again after this, and a failed coordinator restarts after the backoff.
            retry-interval = 250ms
            coordinator-failure-backoff = 1s
            # A shard that failed (its lease could not be acquired in time) starts again after this, not 10 s.
            shard-failure-backoff = 1s
            # A joining node takes up to 20 shards (at most a tenth of all) every 2 s until it has its fair share.
            rebalance-interval = 2s
            least-shard-allocation-strategy {
              rebalance-absolute-limit = 20
              rebalance-relative-limit = 0.1
            }
          }
        }
        """;

    /// <summary>
    /// A cluster's journal rides a database outage out with its leases (<see cref="OutageTolerantJournal"/>): its writes are
    /// tried again for the ttl and the ride-out, so Akka's circuit breaker must not give up on a write before that, and
    /// once the database answers again the breakers let calls through within seconds.
    /// </summary>
    private static string OutageJournal(RecorderCluster cluster) => $$"""
        akka.persistence.journal.sql {
          class = "{{typeof(OutageTolerantJournal).AssemblyQualifiedName}}"
          {{OutageTolerantJournal.GraceKey}} = {{Millis(cluster.LeaseTtl)}}
          {{OutageTolerantJournal.RideOutKey}} = {{Millis(cluster.LeaseRideOut)}}
          circuit-breaker.call-timeout = {{Millis(cluster.LeaseTtl + cluster.LeaseRideOut + TimeSpan.FromSeconds(30))}}
          # Open, the breaker would fail a channel's next write at once (without trying again) after ten failed calls of
          # any kind, such as the replays of channels starting during an outage; the writes back off on their own.
          circuit-breaker.max-failures = 1000000
          circuit-breaker.reset-timeout = {{Millis(BreakerReset)}}
        }
        akka.persistence.snapshot-store.sql.circuit-breaker.reset-timeout = {{Millis(BreakerReset)}}
        """;

    /// <summary>
    /// How long the journal's and snapshot store's circuit breakers fail calls at once after the database stopped answering,
    /// before they let one through again (Akka: 30 s, so a channel whose replay failed during an outage waited up to a minute
    /// after the database was back).
    /// </summary>
    private static readonly TimeSpan BreakerReset = TimeSpan.FromSeconds(2);

    /// <summary>The largest message between nodes (Akka: 128 kB).</summary>
    private const long MaxFrameSize = 16 * 1024 * 1024;

    private static string Millis(TimeSpan value) => $"{(long)value.TotalMilliseconds}ms";
}
