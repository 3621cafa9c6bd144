namespace ActorRecorder.Telegram.FakeServer;

/// <summary>A call the fake accepted and answered with <c>ok:true</c>.</summary>
/// <param name="Method">Bot API method as called (sendVideo, sendMediaGroup, sendMessage, editMessageText, deleteMessage, copyMessages,
/// getUpdates, getMe), or <c>automaticForward</c>: a channel post as it appears in the linked discussion group.</param>
/// <param name="ChatId"><c>chat_id</c> as sent.</param>
/// <param name="MessageId">The message created (send) or edited (edit); 0 for getMe.</param>
/// <param name="At">When the request arrived.</param>
public sealed record ReceivedRequest(string Method, string? ChatId, long MessageId, DateTimeOffset At)
{
    /// <summary>File name of the uploaded video part, or of the file behind a local <c>file://</c> path.</summary>
    public string? FileName { get; init; }

    /// <summary>The <c>file://</c> path sent in local mode; null for an upload.</summary>
    public string? LocalPath { get; init; }

    /// <summary>Bytes of the video received (or read from the local path).</summary>
    public long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the video bytes.</summary>
    public string? Sha256 { get; init; }

    /// <summary><c>caption</c>.</summary>
    public string? Caption { get; init; }

    /// <summary><c>text</c> of sendMessage / editMessageText.</summary>
    public string? Text { get; init; }

    /// <summary><c>duration</c> in seconds.</summary>
    public int? Duration { get; init; }

    /// <summary><c>width</c>.</summary>
    public int? Width { get; init; }

    /// <summary><c>height</c>.</summary>
    public int? Height { get; init; }

    /// <summary><c>supports_streaming</c> was true.</summary>
    public bool SupportsStreaming { get; init; }

    /// <summary>A thumbnail part arrived.</summary>
    public bool HasThumbnail { get; init; }

    /// <summary>Bytes of the thumbnail part.</summary>
    public long ThumbnailSize { get; init; }

    /// <summary>The album (sendMediaGroup) the message is part of; null for a message sent alone.</summary>
    public string? MediaGroupId { get; init; }

    /// <summary>For a copy (copyMessages): the chat and id of the message it copies.</summary>
    public (string Chat, long Id)? CopyOf { get; init; }

    /// <summary>For a reply (sendMessage with <c>reply_parameters</c>): the chat and id of the message it replies to.</summary>
    public (string Chat, long Id)? ReplyTo { get; init; }

    /// <summary>Every form field as text (file parts excluded).</summary>

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
