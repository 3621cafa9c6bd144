namespace ActorRecorder.Telegram.FakeServer;

/// <summary>
/// A scripted misbehaviour for the next request to one method (<see cref="FakeBotApi.Enqueue"/>). Answer faults are sent
/// after the whole request body was read, as Telegram would; <see cref="Stall"/> and <see cref="Reset"/> act before.
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>429 with <c>parameters.retry_after</c>.</summary>
    public static Fault TooManyRequests(int retryAfterSeconds) =>
        new AnswerFault(429, $"Too Many Requests: retry after {retryAfterSeconds}", retryAfterSeconds);

    /// <summary>A 5xx with a Bot API JSON body (500 by default; 502 is also seen from Telegram).</summary>
    public static Fault ServerError(int statusCode = 500) =>
        new AnswerFault(statusCode, statusCode == 502 ? "Bad Gateway" : "Internal Server Error");

    /// <summary>502 with an HTML body, as a proxy in front of the API answers: not Bot API JSON.</summary>
    public static Fault BadGatewayHtml() => new HtmlFault(502);

    /// <summary>Holds the request without answering for <paramref name="duration"/>, then handles it normally (unless the client gave up).</summary>
    public static Fault Stall(TimeSpan duration) => new StallFault(duration);

    /// <summary>Aborts the connection mid-request: after the first chunk of the body, without any answer.</summary>
    public static Fault Reset() => new ResetFault();

    /// <summary>403, e.g. "Forbidden: bot is not a member of the channel chat".</summary>
    public static Fault Forbidden(string description = "Forbidden: bot is not a member of the channel chat") =>
        new AnswerFault(403, description);

    /// <summary>400, e.g. "Bad Request: chat not found".</summary>
    public static Fault BadRequest(string description = "Bad Request: chat not found") => new AnswerFault(400, description);

    /// <summary>413 "Request Entity Too Large".</summary>
    public static Fault TooLarge() => new AnswerFault(413, "Request Entity Too Large");
}

/// <summary>A Bot API error answer <c>{ok:false, error_code, description, parameters?}</c>.</summary>
public sealed record AnswerFault(int StatusCode, string Description, int? RetryAfterSeconds = null) : Fault;

/// <summary>A non-JSON (HTML) error page with <paramref name="StatusCode"/>.</summary>
public sealed record HtmlFault(int StatusCode) : Fault;

/// <summary>Holds the request for <paramref name="Duration"/>.</summary>
public sealed record StallFault(TimeSpan Duration) : Fault;

/// <summary>Aborts the connection.</summary>
public sealed record ResetFault : Fault;
