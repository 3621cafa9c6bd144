namespace ActorRecorder.Telegram.Tests;

public sealed class TelegramRetrySpecs
{
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
}
