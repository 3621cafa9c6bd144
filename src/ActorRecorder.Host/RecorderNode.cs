using Akka.Actor;
using Akka.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Host;

/// <summary>
/// A running node in this process (the demo and the specs use it; <c>actorrecorder run</c> runs the same host
/// until a signal): its actor system, its settings, status and reload, and a graceful stop.
/// </summary>
public sealed class RecorderNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ChannelConfigService _channels;
    private int _stopped;

    private RecorderNode(IHost host)
    {
        _host = host;
        _channels = host.Services.GetRequiredService<ChannelConfigService>();
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The settings in force (updated by each successful reload).</summary>
    public NodeSettings Settings => _channels.Settings;

    /// <summary>Starts a node from a configuration file; edits to the file are applied while it runs.</summary>
    /// <exception cref="ConfigException">The file is invalid (the message names file, line, column and key).</exception>
    public static async Task<RecorderNode> StartAsync(string configPath, Action<ILoggingBuilder>? logging = null,
        Func<EngineServices, EngineServices>? customize = null, Action<AkkaConfigurationBuilder>? akka = null)
    {
        var fullPath = Path.GetFullPath(configPath);
        var (settings, config) = RecorderHost.Load(fullPath);
        return await StartAsync(await RecorderHost.BuildAsync(settings, config, fullPath, logging, customize, akka).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Starts a node from an already parsed configuration (relative paths resolve against <paramref name="baseDirectory"/>).</summary>
    public static async Task<RecorderNode> StartAsync(Config config, string baseDirectory, Action<ILoggingBuilder>? logging = null,
        Func<EngineServices, EngineServices>? customize = null)
    {
        var resolved = config.WithFallback(EngineSettings.Reference);
        var settings = EngineSettings.Load(resolved, baseDirectory);
        return await StartAsync(await RecorderHost.BuildAsync(settings, resolved, null, logging, customize).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task<RecorderNode> StartAsync(IHost host)
    {
        await host.StartAsync().ConfigureAwait(false);
        return new RecorderNode(host);
    }

    /// <summary>Re-reads the configuration file and applies the channel list; an invalid file changes nothing (null).</summary>
    public Task<ChannelsApplied?> ReloadAsync() => _channels.ReloadAsync();

    /// <summary>Every configured channel's status, by id.</summary>
    public Task<IReadOnlyList<ChannelStatus>> GetStatusAsync() => _channels.GetStatusAsync();

    /// <summary>Graceful stop: channels are handed off (ffmpeg finishes its file, events are persisted), then the system terminates.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
