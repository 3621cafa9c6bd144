using ActorRecorder.Engine;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// A platform that announces a scheduled broadcast: while the stream behind the URL is offline it reports
/// <see cref="LiveStatus.Upcoming"/> with a title and a start time, as yt-dlp does for <c>is_upcoming</c>; once it has been
/// live, offline is offline again (the announcement is over). The stream itself is checked by the real resolver.
/// </summary>
public sealed class AnnouncingResolver(IChannelResolver inner, string title, DateTimeOffset startsAt) : IChannelResolver
{
    private volatile bool _wasLive;

    public string Name => inner.Name;

    public string PlatformKey(string channelUrl) => inner.PlatformKey(channelUrl);

    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        var status = await inner.ResolveAsync(channelUrl, options, cancellationToken);
        _wasLive |= status is LiveStatus.Live;
        return status is LiveStatus.Offline && !_wasLive ? new LiveStatus.Upcoming(title, startsAt) : status;
    }

    /// <summary>Node services whose generic resolver announces the broadcast.</summary>
    public static Func<EngineServices, EngineServices> Installed(string title, DateTimeOffset startsAt) => services => services with
    {
        Resolvers = services.Resolvers.ToDictionary(r => r.Key, r => r.Key == "generic" ? new AnnouncingResolver(r.Value, title, startsAt) : r.Value,
            StringComparer.Ordinal),
    };
}
