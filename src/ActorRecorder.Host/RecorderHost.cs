using Akka.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host.Channels;
using ActorRecorder.Host.Journal;
using ActorRecorder.Host.Leases;
using ActorRecorder.Host.Management;
using Akka.Cluster.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaConfig = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace ActorRecorder.Host;

/// <summary>
/// Builds a node as a Generic Host: Akka.Hosting runs the actor system (<see cref="AkkaConfiguration"/>),
/// <see cref="ChannelConfigService"/> applies the channel list at start and on every edit of the file.
/// Stopping the host runs Akka's coordinated shutdown: every channel is handed off (ffmpeg finishes its file,
/// the attempt's end is persisted) before the process exits.
/// </summary>
public static class RecorderHost
{
    /// <summary>The budget for a graceful stop (SIGTERM, Ctrl+C) from the signal to the exit.</summary>
    public static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(10);

    /// <summary>Reads a node's configuration file with the engine's reference as fallback.</summary>
    /// <exception cref="ConfigException">The file is invalid (the message names file, line, column and key).</exception>
    public static (NodeSettings Settings, Config Config) Load(string configPath)
    {
        var config = ConfigurationFactory.Load(configPath, EngineSettings.Reference);
        var directory = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var settings = EngineSettings.Load(config, directory);
        // Channels added or removed through the management API since, kept in the data directory.
        if (File.Exists(RuntimeChannels.PathIn(settings.DataDir)))
        {
            config = RuntimeChannels.Apply(config, settings.DataDir);
            settings = EngineSettings.Load(config, directory);
        }
        return (settings, config);
    }

    /// <summary>
    /// Checks the journal (a legacy one is refused), takes its lock (one node per journal) and builds the host; nothing
    /// runs until it is started. The lock is held until the host is disposed.
    /// </summary>
    /// <param name="configPath">The file to watch for edits, or null for a configuration given in code.</param>
    /// <exception cref="JournalRefusedException">The journal was written by the earlier built-in persistence, or another node uses it.</exception>
    /// <exception cref="PortInUseException">The management or cluster port is taken.</exception>
    /// <param name="customize">Changes the engine's services (specs put a gate or a clock in).</param>
    /// <param name="akka">Adds to the actor system's configuration (specs subscribe to its event stream before any channel starts).</param>
    public static async Task<IHost> BuildAsync(NodeSettings settings, Config config, string? configPath, Action<ILoggingBuilder>? logging = null,
        Func<EngineServices, EngineServices>? customize = null, Action<AkkaConfigurationBuilder>? akka = null)
    {
        PortInUseException.ThrowIfTaken(settings.Management.Hostname, settings.Management.Port, "actor-recorder.management.http.port");
        if (!settings.Cluster.IsSingleNode)
        {
            PortInUseException.ThrowIfTaken(settings.Cluster.Hostname, settings.Cluster.Port, "actor-recorder.cluster.port");
        }
        await JournalSetup.PrepareAsync(settings.Journal).ConfigureAwait(false);
        var clustered = !settings.Cluster.IsSingleNode;
        var journalLock = await JournalLock.AcquireAsync(settings.Journal, clustered).ConfigureAwait(false);
        Directory.CreateDirectory(settings.DataDir);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "actorrecorder" });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopBudget);
        builder.Services.AddSingleton(_ => journalLock); // made by the container, so disposed with the host, after the actor system
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        var logs = new LogRing(settings.Management.LogLines, TimeProvider.System);
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // not a line per request
        builder.AddManagement(settings, ManagementToken.Resolve(settings.Management, settings.DataDir), logs);
        var parallelism = settings.Channels.FirstOrDefault(c => c.Delivery.Telegram is not null)?.Delivery.Telegram?.Parallelism ?? 4;
        var secrets = new SecretStore(settings.Secrets);
        var engine = EngineServices.Create(settings.Recording.FfprobePath, settings.Tools.YtDlp, settings.Tools.Streamlink, toolsMaxAge: settings.Tools.MaxAge) with
        {
            Secrets = secrets,
            UploadGate = new SemaphoreSlim(parallelism),
            DeleteOldEvents = settings.Journal.DeleteOldEvents,
        };
        builder.Services.AddSingleton(provider =>
        {
            var services = engine with { LoggerFactory = provider.GetRequiredService<ILoggerFactory>() };
            return customize?.Invoke(services) ?? services;
        });
        builder.Services.AddSingleton(provider => provider.GetRequiredService<EngineServices>().Time);
        var userAkka = UserAkkaBlock(config);
        builder.Services.AddSingleton<DatabaseHealth>();
        builder.Services.AddAkka(AkkaConfiguration.SystemName, (system, provider) =>
        {
            system.AddRecorder(settings, provider.GetRequiredService<EngineServices>(), userAkka, clustered ? ShardLease(settings) : null,
                    provider.GetRequiredService<DatabaseHealth>())
                .WithActorSystemLivenessCheck(tags: [ManagementApi.LiveTag])
                .WithAkkaClusterReadinessCheck(tags: ["ready"]);
            akka?.Invoke(system);
        });
        builder.Services.AddSingleton(provider => new ChannelConfigService(settings, configPath, secrets,
            ActorRegistry.For(provider.GetRequiredService<Akka.Actor.ActorSystem>()), provider.GetRequiredService<ILogger<ChannelConfigService>>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ChannelConfigService>());
        var host = builder.Build();
        host.MapManagement();
        host.Services.GetRequiredService<JournalLock>();
        return host;
    }

    /// <summary>
    /// The cluster's leases, in its PostgreSQL database (the journal's). Acquiring or releasing one waits at most half
    /// the ttl for PostgreSQL: a shard that waits longer retries rather than holding on to an answer that is stale.
    /// </summary>
    private static PostgresLeaseOption ShardLease(NodeSettings settings) =>
        new(settings.Journal.PostgresConnectionString!, settings.Cluster.LeaseTtl, settings.Cluster.LeaseRenewInterval, settings.Cluster.LeaseTtl / 2);

    /// <summary>The user's own <c>akka { }</c> block, passed to Akka as it is (null when there is none).</summary>
    public static AkkaConfig? UserAkkaBlock(Config config) =>
        config.HasPath("akka") ? AkkaConfigurationFactory.ParseString("akka = " + config.GetConfig("akka").ToJson()) : null;
}
