using System.Collections.Concurrent;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Platforms.Gate;

/// <summary>
/// The one gate every platform call of a node goes through: an <see cref="AdaptiveGate"/> per platform
/// key, so a thousand channels on one platform never call it all at once, and errors from one platform
/// slow only that platform. Thread-safe.
/// </summary>
public sealed class PlatformGate(GateOptions options)
{
    private readonly ConcurrentDictionary<string, AdaptiveGate> _gates = new(StringComparer.Ordinal);

    public AdaptiveGate For(string platformKey) => _gates.GetOrAdd(platformKey, _ => new AdaptiveGate(options));

    public IReadOnlyDictionary<string, AdaptiveGate> Gates => _gates;

    /// <summary>Resolves through the channel's platform gate: a <see cref="ResolverException"/> counts as an error, any answer as a success.</summary>
    public async Task<LiveStatus> ResolveAsync(IChannelResolver resolver, string channelUrl, ResolveOptions options, CancellationToken cancellationToken)
    {
        using var lease = await For(resolver.PlatformKey(channelUrl)).EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = await resolver.ResolveAsync(channelUrl, options, cancellationToken).ConfigureAwait(false);
            lease.Succeeded();
            return status;
        }
        catch (ResolverException)
        {
            lease.Failed();
            throw;
        }
    }
}
