using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Host.Management;

/// <summary>
/// What the endpoints ask of the node: the channel list in force, a channel's settings and status (through the shard
/// region, so the node that runs the channel answers, wherever it is in the cluster), and commands to channels.
/// </summary>
public sealed class NodeApi(ActorSystem system, ActorRegistry registry)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public ActorSystem System => system;

    public async Task<IReadOnlyList<ChannelSettings>> ChannelsAsync(CancellationToken cancellationToken) =>
        await (await registry.GetAsync<ChannelDirectory>(cancellationToken))
            .Ask<IReadOnlyList<ChannelSettings>>(GetConfiguredChannels.Instance, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>The channel's settings, or null when no channel has that id.</summary>
    public async Task<ChannelSettings?> SettingsAsync(string id, CancellationToken cancellationToken) =>
        (await ChannelsAsync(cancellationToken)).FirstOrDefault(c => c.Id == id);

    /// <summary>The channel's status from the node that runs it; null when it did not answer in time (starting, moving).</summary>
    public async Task<ChannelStatus?> StatusAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.Get<ChannelRegion>().Ask<ChannelStatus>(new ShardingEnvelope(id, new GetChannelStatus()), AskTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ChannelStatus>> StatusesAsync(CancellationToken cancellationToken) =>
        await (await registry.GetAsync<ChannelDirectory>(cancellationToken))
            .Ask<IReadOnlyList<ChannelStatus>>(GetChannelStatuses.Instance, TimeSpan.FromSeconds(30), cancellationToken);

    public void Tell(string id, IChannelInput command) => registry.Get<ChannelRegion>().Tell(new ShardingEnvelope(id, command));

    public static ChannelView View(ChannelSettings settings, ChannelStatus? status)
    {
        if (status is null)
        {
            return new ChannelView(settings.Id, settings.Url, settings.Resolver, "unknown", "not answering", false, false, false, null, null, []);
        }
        var session = status.SessionId is { } sessionId
            ? new OpenSessionView(sessionId, status.Title, status.SessionStartedAt, status.Segments, status.BytesRecorded, status.BytesInProgress,
                status.Attempt, status.FfmpegPid, status.SessionDirectory, CurrentFile(status))
            : null;
        return new ChannelView(settings.Id, settings.Url, settings.Resolver, status.Mode.ToString().ToLowerInvariant(),
            status.Lifecycle.ToString().ToLowerInvariant(), status.Paused, status.DiskLow, status.Retiring, status.Node, session,
            status.ProcessingSessionIds);
    }

    /// <summary>The segment ffmpeg is writing now: the newest file of the running attempt (null when none is running).</summary>
    public static string? CurrentFile(ChannelStatus status)
    {
        if (status.FfmpegPid is null || status.SessionDirectory is not { } directory || !Directory.Exists(directory))
        {
            return null;
        }
        var prefix = SegmentFileName.Prefix(status.Attempt) + "-";
        return Directory.EnumerateFiles(directory, prefix + "*")
            .Where(path => !path.EndsWith(".discarded", StringComparison.Ordinal))
            .Order(SegmentFileName.Comparer)
            .LastOrDefault();
    }
}
