namespace ActorRecorder.Engine.Settings;

/// <summary>One place a channel's streamer broadcasts: a URL and the resolver that checks it.</summary>
public sealed record ChannelSource(string Url, string Resolver);

/// <summary>One configured channel (an item of <c>actor-recorder.channels</c>).</summary>
/// <param name="Id">Unique, file-name and actor-name safe: <c>^[a-z0-9._-]+$</c>, not "." or "..", at most 64 characters.</param>
/// <param name="Url">An absolute URL (http, https, rtmp, rtmps, rtsp, srt or file): the first of <see cref="Sources"/>.</param>
/// <param name="Resolver">One of <see cref="EngineSettings.KnownResolvers"/>: the first source's.</param>
/// <param name="Recording">The global recording settings with this channel's overrides applied.</param>
public sealed record ChannelSettings(string Id, string Url, string Resolver, RecordingSettings Recording)
{
    private readonly IReadOnlyList<ChannelSource>? _sources;

    /// <summary>
    /// Where the streamer broadcasts, in priority order (<c>urls</c>; a channel with one <c>url</c> has that one): whichever
    /// is live is recorded, the first live one when several are.
    /// </summary>
    public IReadOnlyList<ChannelSource> Sources
    {
        get => _sources ?? [new ChannelSource(Url, Resolver)];
        init => _sources = value;
    }

    /// <summary>A Netscape cookies file the resolvers send to the platform (absolute; checked when the settings are read).</summary>
    public string? CookiesFile { get; init; }

    /// <summary>The HTTP proxy the channel's checks and recordings go through (<c>proxy</c>, the channel's or the node's); null: none.</summary>
    public Media.Network.ProxyUrl? Proxy { get; init; }

    /// <summary>How the channel's sessions are cut and delivered (the node's <c>processing</c> and <c>upload</c> blocks).</summary>
    public DeliverySettings Delivery { get; init; } = DeliverySettings.None;

    public bool Equals(ChannelSettings? other) =>
        other is not null && Id == other.Id && Sources.SequenceEqual(other.Sources) && CookiesFile == other.CookiesFile
        && Equals(Proxy, other.Proxy)
        && Recording == other.Recording && Delivery == other.Delivery;

    public override int GetHashCode() => HashCode.Combine(Id, Url, Resolver, CookiesFile);
}
