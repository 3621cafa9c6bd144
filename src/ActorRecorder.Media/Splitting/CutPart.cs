namespace ActorRecorder.Media.Splitting;

/// <summary>A part file ready to upload, with what Telegram wants to know about it.</summary>
public sealed record CutPart(int Number, string Path, long Bytes, TimeSpan Duration, int? Width, int? Height, string? ThumbnailPath);

/// <summary>The container parts are written in (config: <c>processing.remux-to</c>).</summary>
public enum PartFormat
{
    /// <summary>MP4 with the index at the front (faststart), so Telegram can stream it.</summary>
    Mp4,
    /// <summary>Keep MPEG-TS.</summary>
    Ts,
}
