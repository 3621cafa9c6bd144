namespace ActorRecorder.Telegram;

/// <summary>
/// A Bot API call failed. The message names the method and the masked URL (<c>bot***</c>), never the token.
/// </summary>
public sealed class TelegramApiException : Exception
{
    /// <summary>Creates the exception; <paramref name="maskedUrl"/> must already have the token masked.</summary>
    public TelegramApiException(
        string method, TelegramErrorKind kind, int errorCode, string description, string maskedUrl,
        TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(FormatMessage(method, kind, errorCode, description, maskedUrl, retryAfter), innerException)
    {
        Method = method;
        Kind = kind;
        ErrorCode = errorCode;
        Description = description;
        RetryAfter = retryAfter;
    }

    /// <summary>Bot API method, e.g. <c>sendVideo</c>.</summary>
    public string Method { get; }

    /// <summary>What the failure means for retries.</summary>
    public TelegramErrorKind Kind { get; }

    /// <summary><c>error_code</c> of the answer (the HTTP status when the body was not Bot API JSON); 0 when nothing was answered.</summary>
    public int ErrorCode { get; }

    /// <summary><c>description</c> of the answer, e.g. "Forbidden: bot is not a member of the channel chat".</summary>
    public string Description { get; }

    /// <summary><c>parameters.retry_after</c> of a 429.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Maps an error code and description to a <see cref="TelegramErrorKind"/>.</summary>
    public static TelegramErrorKind Classify(int errorCode, string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (errorCode == 429)
            return TelegramErrorKind.RateLimited;
        if (errorCode == 413
            || description.Contains("too big", StringComparison.OrdinalIgnoreCase)
            || description.Contains("too large", StringComparison.OrdinalIgnoreCase))
            return TelegramErrorKind.TooLarge;
        return errorCode is >= 400 and < 500 ? TelegramErrorKind.Fatal : TelegramErrorKind.Transient;
    }

    private static string FormatMessage(
        string method, TelegramErrorKind kind, int errorCode, string description, string maskedUrl, TimeSpan? retryAfter)
    {
        var code = errorCode == 0 ? "no answer" : errorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var retry = retryAfter is { } r ? $", retry after {r.TotalSeconds:0} s" : string.Empty;
        return $"Telegram {method} failed ({kind}, {code}): {description}{retry} [POST {maskedUrl}]";
    }
}
