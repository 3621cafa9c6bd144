namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Answers "is this channel live, and what do I record?" for one kind of source. Implementations are
/// stateless and thread-safe; every call is independent and bounded by the given timeout.
/// </summary>
public interface IChannelResolver
{
    /// <summary>The name used in configuration (<c>resolver = generic</c>).</summary>
    string Name { get; }

    /// <summary>The key whose calls share one gate: calls to the same platform are limited together.</summary>
    string PlatformKey(string channelUrl);

    /// <summary>Checks the channel.</summary>
    /// <exception cref="ResolverException">The platform could not be asked; try again later.</exception>
    Task<LiveStatus> ResolveAsync(string channelUrl, ResolveOptions options, CancellationToken cancellationToken);
}
