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
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private volatile bool _wasLive;
    private int _announced;

    public string Name => inner.Name;

    public string PlatformKey(string channelUrl) => inner.PlatformKey(channelUrl);

    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        var status = await inner.ResolveAsync(channelUrl, options, cancellationToken);
        _wasLive |= status is LiveStatus.Live;
        if (status is LiveStatus.Offline && !_wasLive)
        {
            Announced();
            return new LiveStatus.Upcoming(title, startsAt);
        }
        return status;
    }

    /// <summary>Completes once the platform has answered "upcoming" <paramref name="more"/> more times from now.</summary>
    public Task AnnouncedAgain(int more)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((_announced + more, reached));
        }
        return reached.Task;
    }

    private void Announced()
    {
        List<TaskCompletionSource> reached;
        lock (_lock)
        {
            _announced++;
            reached = [.. _waiters.Where(w => w.Count <= _announced).Select(w => w.Reached)];
            _waiters.RemoveAll(w => w.Count <= _announced);
        }
        reached.ForEach(r => r.TrySetResult());
    }

    /// <summary>Node services whose generic resolver announces the broadcast; <paramref name="installed"/> gets the resolver.</summary>
    public static Func<EngineServices, EngineServices> Installed(string title, DateTimeOffset startsAt, Action<AnnouncingResolver>? installed = null) =>
        services => services with
        {
            Resolvers = services.Resolvers.ToDictionary(r => r.Key, r =>
            {
                if (r.Key != "generic")
                {
                    return r.Value;
                }
                var announcing = new AnnouncingResolver(r.Value, title, startsAt);
                installed?.Invoke(announcing);
                return (IChannelResolver)announcing;
            }, StringComparer.Ordinal),
        };
}
