namespace ActorRecorder.Telegram;

/// <summary>A <c>sendVideo</c> call: one file on local disk sent to one chat.</summary>
/// <param name="ChatId">Target chat.</param>
/// <param name="VideoPath">The video file; read from the start on every attempt.</param>
public sealed record SendVideo(ChatId ChatId, string VideoPath)
{
    /// <summary>Caption; cut to <see cref="CaptionTemplate.MaxCaptionLength"/> characters.</summary>
    public string? Caption { get; init; }

    /// <summary><c>parse_mode</c> of the caption (<c>HTML</c>, <c>MarkdownV2</c>), or null for plain text.</summary>
    public string? ParseMode { get; init; }

    /// <summary>Duration, sent in whole seconds.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Width in pixels.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels.</summary>
    public int? Height { get; init; }

    /// <summary>A JPEG thumbnail (Telegram: at most 200 kB and 320 px); uploaded as the part <c>thumb</c>.</summary>
    public string? ThumbnailPath { get; init; }

    /// <summary><c>supports_streaming</c>: the video can be played before it is fully downloaded (mp4 with moov first).</summary>
    public bool SupportsStreaming { get; init; } = true;

    /// <summary>Send silently.</summary>
    public bool DisableNotification { get; init; }
}
