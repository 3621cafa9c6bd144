namespace ActorRecorder.Telegram;

/// <summary>A Bot API <c>Video</c>: the stored file behind a video message.</summary>
/// <param name="FileId">Id to re-send or download the file.</param>
/// <param name="FileUniqueId">Stable id of the file across bots.</param>
public sealed record TelegramVideo(string FileId, string FileUniqueId)
{
    /// <summary>Duration in seconds as Telegram knows it.</summary>
    public int Duration { get; init; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>File name as sent.</summary>
    public string? FileName { get; init; }

    /// <summary>Size in bytes, when Telegram reports it.</summary>
    public long? FileSize { get; init; }
}
