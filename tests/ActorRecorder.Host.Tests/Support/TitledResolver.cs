using ActorRecorder.Engine;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// A platform that tells its broadcast's title, as yt-dlp does for a channel page: the stream behind the URL is checked by
/// the real resolver, and a live answer carries <see cref="Title"/>, which the spec changes as a streamer would.
/// </summary>
public sealed class TitledResolver(IChannelResolver inner, string title) : IChannelResolver
{
    private volatile string _title = title;

    public string Title
    {
        get => _title;
        set => _title = value;
    }

    public string Name => inner.Name;

    public string PlatformKey(string channelUrl) => inner.PlatformKey(channelUrl);

    public async Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        var status = await inner.ResolveAsync(channelUrl, options, cancellationToken);
        return status is LiveStatus.Live live ? live with { Title = _title } : status;
    }

    /// <summary>Puts a titled platform in front of the node's generic resolver; <paramref name="installed"/> gets it.</summary>
    public static Func<EngineServices, EngineServices> Installed(string title, Action<TitledResolver> installed) =>
        services => services with
        {
            Resolvers = services.Resolvers.ToDictionary(r => r.Key, r =>
            {
                if (r.Key != "generic")
                {
                    return r.Value;
                }
                var titled = new TitledResolver(r.Value, title);
                installed(titled);
                return (IChannelResolver)titled;
            }, StringComparer.Ordinal),
        };
}
