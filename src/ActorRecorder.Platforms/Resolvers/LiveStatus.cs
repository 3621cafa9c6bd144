using System.Collections.Immutable;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>What a resolver found: the channel is live (with what to record), scheduled to go live, or offline (with why).</summary>
public abstract record LiveStatus
{
    private LiveStatus() { }

    /// <param name="StreamUrl">What ffmpeg reads.</param>
    /// <param name="Headers">HTTP headers ffmpeg must send (cookies, referer, user agent).</param>
    /// <param name="Title">The broadcast's title, when the platform tells it.</param>
    public sealed record Live(string StreamUrl, ImmutableDictionary<string, string> Headers, string? Title) : LiveStatus
    {
        /// <summary>Which rendition the resolver chose for the channel's quality list, as people name it; null when it could not tell.</summary>
        public string? Quality { get; init; }
    }

    public sealed record Offline(string Reason) : LiveStatus;

    /// <summary>Not live yet, but announced: a scheduled broadcast (yt-dlp's <c>is_upcoming</c>).</summary>
    /// <param name="Title">The announced title, when the platform tells it.</param>
    /// <param name="StartsAt">When it is to start (yt-dlp's <c>release_timestamp</c>), when the platform tells it.</param>
    public sealed record Upcoming(string? Title, DateTimeOffset? StartsAt) : LiveStatus;
}

/// <summary>What a check sends besides the URL.</summary>
/// <param name="CookiesFile">A Netscape cookies file for the platform (the channel's <c>cookies-file</c>); its content is never logged.</param>
public sealed record ResolveOptions(string? CookiesFile)
{
    /// <summary>The renditions wanted, in order (the channel's <c>quality</c>); empty: the best.</summary>
    public IReadOnlyList<Quality.StreamQuality> Qualities { get; init; } = [];

    /// <summary>The HTTP proxy every request of the check goes through (the channel's <c>proxy</c>); null: none.</summary>
    public Media.Network.ProxyUrl? Proxy { get; init; }

    public static readonly ResolveOptions None = new(CookiesFile: null);
}

/// <summary>
/// The platform could not be asked (network error, unexpected answer, tool failure). Unlike
/// <see cref="LiveStatus.Offline"/>, it counts against the platform's error rate in the gate.
/// </summary>
public sealed class ResolverException(string message, Exception? inner = null) : Exception(message, inner);
