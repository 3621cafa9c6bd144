namespace ActorRecorder.Engine.Settings;

/// <summary>Everything the engine reads from a node's configuration; built by <see cref="EngineSettings.Load"/>.</summary>
/// <param name="DataDir">Full path of the node's state directory.</param>
/// <param name="Journal">The event journal.</param>
/// <param name="Recording">The global recording settings (<c>actor-recorder.recording</c>).</param>
/// <param name="Channels">The channels in configuration order; ids are unique.</param>
public sealed record NodeSettings(string DataDir, JournalSettings Journal, RecordingSettings Recording, IReadOnlyList<ChannelSettings> Channels)
{
    /// <summary>How the node joins others; by default a cluster of one.</summary>
    public ClusterSettings Cluster { get; init; } = new([], "127.0.0.1", 0, null, [], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300), "keep-majority", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6),
        TimeSpan.FromSeconds(60));

    /// <summary>The secrets this node's configuration sets (the settings name them by <see cref="SecretRef"/>).</summary>
    public NodeSecrets Secrets { get; init; } = NodeSecrets.None;

    /// <summary>The platform tools (<c>tools</c>): yt-dlp, streamlink, and how old yt-dlp may be before it is reported.</summary>
    public ToolSettings Tools { get; init; } = new("yt-dlp", "streamlink", TimeSpan.FromDays(60));

    /// <summary>The management API (loopback, port 9110 by default).</summary>
    public ManagementSettings Management { get; init; } = ManagementSettings.Default;
}

/// <summary>The platform tools (<c>tools</c>).</summary>
/// <param name="YtDlp">yt-dlp: a bare name (looked up on PATH) or a full path.</param>
/// <param name="Streamlink">streamlink: a bare name or a full path.</param>
/// <param name="MaxAge">A yt-dlp released longer ago than this is reported.</param>
public sealed record ToolSettings(string YtDlp, string Streamlink, TimeSpan MaxAge);
