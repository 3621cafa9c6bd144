using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;
using ActorRecorder.Host.Journal;
using AkkaConfig = Akka.Configuration.Config;

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

    public static AkkaConfigurationBuilder AddRecorder(this AkkaConfigurationBuilder akka, NodeSettings settings, EngineServices services,
        AkkaConfig? userAkka)
    {
        akka.AddHocon(Tuning, HoconAddMode.Prepend)
            .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
            .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = 0 })
            .WithClustering(new ClusterOptions())
            .AddStartup((system, _) =>
            {
                // A cluster of one: the node is its own seed.
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            })
            .WithRecorderJournal(settings.Journal)
            .WithShardRegion<ChannelRegion>("channel",
                (system, _) => channelId => ChannelActor.Props(channelId, services, system.ActorSelection("/user/channel-directory")),
                new ChannelMessageExtractor(ChannelMessageExtractor.DefaultShards),
                new ShardOptions
                {
                    RememberEntities = true,
                    RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                    StateStoreMode = StateStoreMode.Persistence,
                    HandOffStopMessage = new ShutdownChannel(),
                    ShouldPassivateIdleEntities = false,
                })
            .WithActors((system, registry) =>
                registry.Register<ChannelDirectory>(system.ActorOf(ChannelDirectoryActor.Props(registry.Get<ChannelRegion>(), services), "channel-directory")))
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
}
