using System.Diagnostics;
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
    private static readonly TimeSpan ChannelListAge = TimeSpan.FromSeconds(1);
    private volatile CachedList? _channels;

    public ActorSystem System => system;

    /// <summary>
    /// The channel list in force, as the directory holds it. Kept for a second, so that a burst of requests (a hundred
    /// live-stream clients at once) asks the directory once; a change made through this API drops it at once.
    /// </summary>
    public async Task<IReadOnlyList<ChannelSettings>> ChannelsAsync(CancellationToken cancellationToken)
    {
        if (_channels is { } cached && Stopwatch.GetElapsedTime(cached.At) < ChannelListAge)
        {
            return cached.List;
        }
        var list = await (await registry.GetAsync<ChannelDirectory>(cancellationToken))
            .Ask<IReadOnlyList<ChannelSettings>>(GetConfiguredChannels.Instance, TimeSpan.FromSeconds(30), cancellationToken);
        _channels = new CachedList(list, Stopwatch.GetTimestamp());
        return list;
    }

    /// <summary>The channel list changed (a channel added or removed through the API): the next request asks the directory.</summary>
    public void ChannelsChanged() => _channels = null;

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

    /// <summary>
    /// The sessions of <paramref name="channels"/>, each asked of the node that runs it, all at once; a channel that does
    /// not answer in time (moving between nodes) is left out.
    /// </summary>
    public async Task<IReadOnlyList<RecordingView>> RecordingsAsync(IEnumerable<ChannelSettings> channels, CancellationToken cancellationToken)
    {
        var region = registry.Get<ChannelRegion>();
        var answers = await Task.WhenAll(channels.Select(async channel =>
        {
            try
            {
                return await region.Ask<ChannelRecordings>(new ShardingEnvelope(channel.Id, new GetChannelRecordings()), AskTimeout, cancellationToken);
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        }));
        return [.. answers.OfType<ChannelRecordings>().SelectMany(RecordingViews.Of)];
    }

    public async Task<IReadOnlyList<ChannelStatus>> StatusesAsync(CancellationToken cancellationToken) =>
        await (await registry.GetAsync<ChannelDirectory>(cancellationToken))
            .Ask<IReadOnlyList<ChannelStatus>>(GetChannelStatuses.Instance, TimeSpan.FromSeconds(30), cancellationToken);

    public void Tell(string id, IChannelInput command) => registry.Get<ChannelRegion>().Tell(new ShardingEnvelope(id, command));

    public static ChannelView View(ChannelSettings settings, ChannelStatus? status)
    {
        if (status is null)
        {
            return new ChannelView(settings.Id, settings.Url, settings.Resolver, "unknown", "not answering", false, false, false, null, null, [])
            {
                Sources = settings.Sources,
                Cookies = settings.CookiesFile is not null,
                Quality = settings.Recording.Quality,
                Proxy = settings.Proxy?.ToString(),
            };
        }
        var session = status.SessionId is { } sessionId
            ? new OpenSessionView(sessionId, status.Title, status.SessionStartedAt, status.Segments, status.BytesRecorded, status.BytesInProgress,
                status.Attempt, status.FfmpegPid, status.SessionDirectory, CurrentFile(status))
            : null;
        return new ChannelView(settings.Id, settings.Url, settings.Resolver, status.Mode.ToString().ToLowerInvariant(),
            status.Lifecycle.ToString().ToLowerInvariant(), status.Paused, status.DiskLow, status.Retiring, status.Node, session,
            status.ProcessingSessionIds)
        {
            Sources = settings.Sources,
            Cookies = settings.CookiesFile is not null,
            Problem = status.Problem,
            Quality = settings.Recording.Quality,
            Proxy = settings.Proxy?.ToString(),
            QualityRecorded = status.Quality,
            Skipped = status.Skipped,
        };
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

    private sealed record CachedList(IReadOnlyList<ChannelSettings> List, long At);
}
