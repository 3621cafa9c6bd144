namespace ActorRecorder.Telegram.Tests;

public sealed class TelegramRetrySpecs
{
    private static readonly TelegramRetry Retry = new(new TelegramOptions { BotToken = "t" }, TimeProvider.System);

    [Fact]
    public void Transient_backoff_must_double_from_one_second_up_to_sixty()
    {
        var delays = Enumerable.Range(1, 9).Select(n => Retry.Backoff(n).TotalSeconds);

        Assert.Equal([1d, 2, 4, 8, 16, 32, 60, 60, 60], delays);
    }

    [Theory]
    [InlineData(429, "Too Many Requests: retry after 7", TelegramErrorKind.RateLimited)]
    [InlineData(413, "Request Entity Too Large", TelegramErrorKind.TooLarge)]
    [InlineData(400, "Bad Request: file is too big", TelegramErrorKind.TooLarge)]
    [InlineData(400, "Bad Request: chat not found", TelegramErrorKind.Fatal)]
    [InlineData(401, "Unauthorized", TelegramErrorKind.Fatal)]
    [InlineData(403, "Forbidden: bot is not a member of the channel chat", TelegramErrorKind.Fatal)]
    [InlineData(404, "Not Found", TelegramErrorKind.Fatal)]
    [InlineData(500, "Internal Server Error", TelegramErrorKind.Transient)]
    [InlineData(502, "HTTP 502 Bad Gateway", TelegramErrorKind.Transient)]
    public void Classify_must_map_codes_and_descriptions_to_kinds(int code, string description, TelegramErrorKind kind) =>
        Assert.Equal(kind, TelegramApiException.Classify(code, description));

    [Fact]
    public void A_rate_limit_must_wait_retry_after_and_fatal_errors_must_not_be_retried()
    {
        var limited = new TelegramApiException("sendVideo", TelegramErrorKind.RateLimited, 429, "x", "u", TimeSpan.FromSeconds(33));
        var fatal = new TelegramApiException("sendVideo", TelegramErrorKind.Fatal, 403, "x", "u");
        var tooLarge = new TelegramApiException("sendVideo", TelegramErrorKind.TooLarge, 413, "x", "u");

        Assert.Equal(TimeSpan.FromSeconds(33), Retry.DelayBeforeRetry(limited, 5));
        Assert.Null(Retry.DelayBeforeRetry(fatal, 1));
        Assert.Null(Retry.DelayBeforeRetry(tooLarge, 1));
    }
}
