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

    /// <summary>The commands run after the channel's milestones (<c>hooks</c>).</summary>
    public HookSettings Hooks { get; init; } = HookSettings.None;

    /// <summary>Which delivered sessions' local files are deleted, and when (<c>storage.retention</c>).</summary>
    public RetentionSettings Retention { get; init; } = RetentionSettings.Off;

    /// <summary>How the channel's sessions are cut and delivered (the node's <c>processing</c> and <c>upload</c> blocks).</summary>
    public DeliverySettings Delivery { get; init; } = DeliverySettings.None;

    public bool Equals(ChannelSettings? other) =>
        other is not null && Id == other.Id && Sources.SequenceEqual(other.Sources) && CookiesFile == other.CookiesFile
        && Equals(Proxy, other.Proxy) && Retention == other.Retention && Hooks.Equals(other.Hooks)
        && Recording == other.Recording && Delivery == other.Delivery;

    public override int GetHashCode() => HashCode.Combine(Id, Url, Resolver, CookiesFile);
}

/// <summary>A channel's retention (<c>storage.retention</c>): only delivered, unpinned sessions are ever deleted, oldest first.</summary>
/// <param name="MaxAge">Delivered sessions that ended longer ago are deleted; zero: off.</param>
/// <param name="MaxSize">The channel's recordings above this lose their oldest delivered sessions; zero: off.</param>
/// <param name="PurgeWhenDiskLow">Below min-free-disk, delivered sessions are deleted before recording is held.</param>
public sealed record RetentionSettings(TimeSpan MaxAge, long MaxSize, bool PurgeWhenDiskLow)
{
    public static readonly RetentionSettings Off = new(TimeSpan.Zero, 0, false);

    public bool Enabled => MaxAge > TimeSpan.Zero || MaxSize > 0 || PurgeWhenDiskLow;
}
