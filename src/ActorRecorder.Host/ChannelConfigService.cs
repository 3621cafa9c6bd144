using Akka.Actor;
using Akka.Hosting;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Host;

/// <summary>
/// Keeps the channel directory in step with the configuration: applies the channel list once the actor
/// system runs, then — when the node was started from a file — re-reads the file whenever it changes and
/// applies the new list. An invalid edit changes nothing (the error is logged with its position).
/// </summary>
public sealed partial class ChannelConfigService(NodeSettings settings, string? configPath, SecretStore secrets, ActorRegistry registry, ILogger<ChannelConfigService> log)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private ConfigWatcher? _watcher;
    private IReadOnlyList<ChannelSettings> _fileChannels = settings.Channels;
    private IReadOnlyList<string> _removed = [];

    /// <summary>The settings in force (updated by each successful reload).</summary>
    public NodeSettings Settings { get; private set; } = settings;

    /// <summary>The configuration file the node was started from (null: a configuration given in code).</summary>
    public string? ConfigPath => configPath;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = await registry.GetAsync<ChannelDirectory>(cancellationToken).ConfigureAwait(false);
        _removed = RemovedAtRuntime();
        var applied = await directory.Ask<ChannelsApplied>(new ApplyChannels(Settings.Channels, _removed), AskTimeout, cancellationToken).ConfigureAwait(false);
        LogStarted(log, Settings.Channels.Count, Settings.Journal.Kind.ToString(), Settings.DataDir, string.Join(", ", applied.Added));
        if (configPath is not null)
        {
            _watcher = new ConfigWatcher(configPath, TimeSpan.FromSeconds(1), () => ReloadAsync());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Re-reads the configuration file and applies the channel list; an invalid file changes nothing (null).</summary>
    public async Task<ChannelsApplied?> ReloadAsync()
    {
        if (configPath is null)
        {
            return null;
        }
        NodeSettings reloaded;
        try
        {
            reloaded = RecorderHost.Load(configPath).Settings;
        }
        catch (ConfigException ex)
        {
            LogReloadRejected(log, ex.Message);
            return null;
        }
        if (reloaded.DataDir != Settings.DataDir || reloaded.Journal != Settings.Journal)
        {
            LogNeedsRestart(log);
        }
        if (!reloaded.Cluster.Equals(Settings.Cluster))
        {
            LogClusterNeedsRestart(log);
        }
        Settings = Settings with { Recording = reloaded.Recording, Channels = reloaded.Channels, Secrets = reloaded.Secrets };
        secrets.Replace(reloaded.Secrets);
        var removed = RemovedAtRuntime();
        if (reloaded.Channels.SequenceEqual(_fileChannels) && removed.SequenceEqual(_removed))
        {
            return new ChannelsApplied([], [], []); // saved without a change to the channels (a touch, another key)
        }
        _fileChannels = reloaded.Channels;
        _removed = removed;
        var directory = await registry.GetAsync<ChannelDirectory>().ConfigureAwait(false);
        return await directory.Ask<ChannelsApplied>(new ApplyChannels(reloaded.Channels, removed), AskTimeout).ConfigureAwait(false);
    }

    /// <summary>Every configured channel's status, by id.</summary>
    public async Task<IReadOnlyList<ChannelStatus>> GetStatusAsync()
    {
        var directory = await registry.GetAsync<ChannelDirectory>().ConfigureAwait(false);
        return await directory.Ask<IReadOnlyList<ChannelStatus>>(GetChannelStatuses.Instance, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    public void Dispose() => _watcher?.Dispose();

    /// <summary>The ids removed at runtime on this node (<c>channels.runtime.conf</c>), which its statement to a cluster carries.</summary>
    private IReadOnlyList<string> RemovedAtRuntime() => [.. RuntimeChannels.Read(Settings.DataDir).Removed];

    [LoggerMessage(Level = LogLevel.Information, Message = "node started: {Count} channel(s) [{Ids}], {Journal} journal, data in {DataDir}")]
    private static partial void LogStarted(ILogger logger, int count, string journal, string dataDir, string ids);

    [LoggerMessage(Level = LogLevel.Error, Message = "configuration change rejected, keeping the running configuration: {Reason}")]
    private static partial void LogReloadRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the cluster settings changed in the configuration: they take effect at the next start")]
    private static partial void LogClusterNeedsRestart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "data-dir or the journal changed in the configuration: that takes effect at the next start")]
    private static partial void LogNeedsRestart(ILogger logger);
}
