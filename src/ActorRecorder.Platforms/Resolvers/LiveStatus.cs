using System.Collections.Immutable;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>What a resolver found: the channel is live (with what to record), or offline (with why).</summary>
public abstract record LiveStatus
{
    private LiveStatus() { }

    /// <param name="StreamUrl">What ffmpeg reads.</param>
    /// <param name="Headers">HTTP headers ffmpeg must send (cookies, referer, user agent).</param>
    /// <param name="Title">The broadcast's title, when the platform tells it.</param>
    public sealed record Live(string StreamUrl, ImmutableDictionary<string, string> Headers, string? Title) : LiveStatus;

    public sealed record Offline(string Reason) : LiveStatus;
}

/// <summary>
/// The platform could not be asked (network error, unexpected answer, tool failure). Unlike
/// <see cref="LiveStatus.Offline"/>, it counts against the platform's error rate in the gate.
/// </summary>
public sealed class ResolverException(string message, Exception? inner = null) : Exception(message, inner);
