namespace ActorRecorder.Media.Ffmpeg;

/// <summary>The container recorded segments are written in (config: <c>recording.container</c>).</summary>
public enum Container
{
    /// <summary>MPEG-TS: survives a crash best (every packet stands alone); the default.</summary>
    Ts,
    Mkv,
    Flv,
}

public static class ContainerExtensions
{
    public static string Extension(this Container container) => container switch
    {
        Container.Ts => "ts",
        Container.Mkv => "mkv",
        _ => "flv",
    };

    /// <summary>The ffmpeg muxer name for <c>-segment_format</c>.</summary>
    public static string MuxerName(this Container container) => container switch
    {
        Container.Ts => "mpegts",
        Container.Mkv => "matroska",
        _ => "flv",
    };

    /// <summary>Parses a config value (ts, mkv, flv; case-insensitive); null when it is none of them.</summary>
    public static Container? Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "ts" => Container.Ts,
        "mkv" => Container.Mkv,
        "flv" => Container.Flv,
        _ => null,
    };
}
