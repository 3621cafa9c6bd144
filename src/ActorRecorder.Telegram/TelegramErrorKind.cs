namespace ActorRecorder.Telegram;

/// <summary>What a failed Bot API call means for the caller; decides retry behaviour.</summary>
public enum TelegramErrorKind
{
    /// <summary>The server or the network failed (5xx, reset, refused, timeout, truncated answer): retry with back-off.</summary>
    Transient,

    /// <summary>429: wait <see cref="TelegramApiException.RetryAfter"/>, then retry.</summary>
    RateLimited,

    /// <summary>413 or "too big": the file exceeds the server's limit; retrying the same file cannot help.</summary>
    TooLarge,

    /// <summary>400, 401, 403, 404 and other 4xx: bad chat, bot not admin, bad token, bad request; retrying cannot help.</summary>
    Fatal,
}
