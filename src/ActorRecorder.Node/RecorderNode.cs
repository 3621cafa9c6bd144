using ActorRecorder.Actors;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Persistence;
using ActorRecorder.Persistence.Serialization;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Node;

/// <summary>
/// A running recorder node: the actor system configured from the node's file, the journal it names
/// (SQLite under data-dir by default, or PostgreSQL), the channel manager with every configured channel,
/// and — when started from a file — a watcher that applies edits to the channel list without a restart.
/// <see cref="StopAsync"/> stops gracefully: ffmpeg finishes its files and every event is persisted.
/// </summary>
public sealed partial class RecorderNode : IAsyncDisposable
{
    private readonly IAsyncDisposable _persistence;
    private readonly ILogger _log;
    private readonly string? _configPath;
    private ConfigWatcher? _watcher;
    private int _stopped;

    private RecorderNode(ActorSystem system, NodeSettings settings, IAsyncDisposable persistence, IActorRef channels, string? configPath)
    {
        System = system;
        Settings = settings;
        _persistence = persistence;
        Channels = channels;
        _configPath = configPath;
        _log = system.GetLogger(typeof(RecorderNode));
    }

    public ActorSystem System { get; }

    /// <summary>The settings in force (updated by each successful reload).</summary>
    public NodeSettings Settings { get; private set; }

    /// <summary>The channel manager (<c>/user/channels</c>).</summary>
    public IActorRef Channels { get; }

    /// <summary>Starts a node from a configuration file; edits to the file are applied while it runs.</summary>
    /// <exception cref="ConfigException">The file is invalid (the message names file, line, column and key).</exception>
    public static async Task<RecorderNode> StartAsync(string configPath, ILoggerFactory loggerFactory, bool watchConfig = true)
    {
        var fullPath = Path.GetFullPath(configPath);
        var config = LoadConfig(fullPath);
        var node = await StartAsync(config, Path.GetDirectoryName(fullPath)!, loggerFactory, fullPath).ConfigureAwait(false);
        if (watchConfig)
        {
            node._watcher = new ConfigWatcher(fullPath, TimeSpan.FromSeconds(1), () => node.ReloadAsync());
        }
        return node;
    }

    /// <summary>Starts a node from an already parsed configuration (relative paths resolve against <paramref name="baseDirectory"/>).</summary>
    public static Task<RecorderNode> StartAsync(Config config, string baseDirectory, ILoggerFactory loggerFactory) =>
        StartAsync(config.WithFallback(EngineSettings.Reference).WithFallback(ActorSystemSettings.Reference), baseDirectory, loggerFactory, null);

    private static async Task<RecorderNode> StartAsync(Config config, string baseDirectory, ILoggerFactory loggerFactory, string? configPath)
    {
        var settings = EngineSettings.Load(config, baseDirectory);
        Directory.CreateDirectory(settings.DataDir);
        var serializer = ChannelEventManifests.Register(new EventSerializer());
        IAsyncDisposable persistence;
        PersistenceSettings persistenceSettings;
        if (settings.Journal.Kind == JournalKind.Postgres)
        {
            var postgres = new PostgreSqlPersistence(new PostgreSqlOptions(settings.Journal.PostgresConnectionString!));
            (persistence, persistenceSettings) = (postgres, postgres.ToSettings(serializer));
        }
        else
        {
            var sqlite = new SqlitePersistence(new SqliteOptions(settings.Journal.SqlitePath));
            (persistence, persistenceSettings) = (sqlite, sqlite.ToSettings(serializer));
        }
        var system = ActorSystem.Create("actorrecorder", config, s => s with { LoggerFactory = loggerFactory });
        system.UsePersistence(persistenceSettings);
        var parallelism = settings.Channels.FirstOrDefault()?.Delivery.Telegram?.Parallelism ?? 4;
        var services = EngineServices.Create(settings.Recording.FfprobePath) with { UploadGate = new SemaphoreSlim(parallelism) };
        var channels = system.ActorOf(ChannelManagerActor.Props(services), "channels");
        var node = new RecorderNode(system, settings, persistence, channels, configPath);
        var applied = await channels.Ask<ChannelsApplied>(new ApplyChannels(settings.Channels), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        LogStarted(node._log, settings.Channels.Count, settings.Journal.Kind.ToString(), settings.DataDir, string.Join(", ", applied.Added));
        return node;
    }

    private static Config LoadConfig(string path) =>
        ConfigurationFactory.Load(path, EngineSettings.Reference, ActorSystemSettings.Reference);

    /// <summary>Re-reads the configuration file and applies the channel list; an invalid file changes nothing.</summary>
    public async Task<ChannelsApplied?> ReloadAsync()
    {
        if (_configPath is null)
        {
            return null;
        }
        NodeSettings reloaded;
        try
        {
            reloaded = EngineSettings.Load(LoadConfig(_configPath), Path.GetDirectoryName(_configPath)!);
        }
        catch (ConfigException ex)
        {
            LogReloadRejected(_log, ex.Message);
            return null;
        }
        if (reloaded.DataDir != Settings.DataDir || reloaded.Journal != Settings.Journal)
        {
            LogNeedsRestart(_log);
        }
        Settings = Settings with { Recording = reloaded.Recording, Channels = reloaded.Channels };
        return await Channels.Ask<ChannelsApplied>(new ApplyChannels(reloaded.Channels), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Every channel's status, by id.</summary>
    public Task<IReadOnlyList<ChannelStatus>> GetStatusAsync() =>
        Channels.Ask<IReadOnlyList<ChannelStatus>>(GetChannelStatuses.Instance, TimeSpan.FromSeconds(15));

    /// <summary>
    /// Graceful stop: each channel asks its ffmpeg to finish the file ('q') and persists the outcome;
    /// after <paramref name="timeout"/> whatever is left is stopped hard. Then the journal is flushed and closed.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        _watcher?.Dispose();
        try
        {
            await Channels.Ask<ChannelsStopped>(ShutdownChannels.Instance, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            LogStopTimedOut(_log, timeout.TotalSeconds);
        }
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _persistence.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(8)).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "node started: {Count} channel(s) [{Ids}], {Journal} journal, data in {DataDir}")]
    private static partial void LogStarted(ILogger logger, int count, string journal, string dataDir, string ids);

    [LoggerMessage(Level = LogLevel.Error, Message = "configuration change rejected, keeping the running configuration: {Reason}")]
    private static partial void LogReloadRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "data-dir or the journal changed in the configuration: that takes effect at the next start")]
    private static partial void LogNeedsRestart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "channels did not stop within {Seconds} s; stopping the rest hard")]
    private static partial void LogStopTimedOut(ILogger logger, double seconds);
}
