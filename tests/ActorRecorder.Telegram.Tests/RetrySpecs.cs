using ActorRecorder.Telegram.FakeServer;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

public sealed class RetrySpecs : BotApiTest
{
    [Fact(Timeout = 30_000)]
    public async Task A_500_must_be_retried_and_the_file_resent_from_the_start()
    {
        var (video, sha256) = RandomFile("a.mp4", 500_000);
        Fake.Enqueue("sendVideo", Fault.ServerError());
        var client = Client();

        await client.SendVideoAsync(new SendVideo(-100, video));

        Assert.Equal(2, Fake.Arrivals.Count);
        var received = Assert.Single(Fake.Received);
        Assert.Equal(sha256, received.Sha256);
        Assert.Equal(500_000, received.Size);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_502_html_page_must_be_classified_by_its_status_and_retried()
    {
        Fake.Enqueue("sendMessage", Fault.BadGatewayHtml());
        var client = Client();
        var notices = new List<TelegramRetryNotice>();
        client.Retrying += notices.Add;

        await client.SendMessageAsync(7, "hello");

        var notice = Assert.Single(notices);
        Assert.Equal(TelegramErrorKind.Transient, notice.Error.Kind);
        Assert.Equal(502, notice.Error.ErrorCode);
        Assert.Single(Fake.Received);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_reset_connection_must_be_retried()
    {
        var (video, sha256) = RandomFile("a.mp4", 2 * 1024 * 1024);
        Fake.Enqueue("sendVideo", Fault.Reset());
        var client = Client();
        var notices = new List<TelegramRetryNotice>();
        client.Retrying += notices.Add;

        await client.SendVideoAsync(new SendVideo(-100, video));

        var notice = Assert.Single(notices);
        Assert.Equal(TelegramErrorKind.Transient, notice.Error.Kind);
        Assert.Equal(0, notice.Error.ErrorCode);
        Assert.Equal(sha256, Assert.Single(Fake.Received).Sha256);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_413_must_throw_TooLarge_at_once()
    {
        var (video, _) = RandomFile("a.mp4", 100_000);
        Fake.Enqueue("sendVideo", Fault.TooLarge());
        var client = Client();

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendVideoAsync(new SendVideo(-100, video)));

        Assert.Equal(TelegramErrorKind.TooLarge, error.Kind);
        Assert.Equal(413, error.ErrorCode);
        Assert.Single(Fake.Arrivals);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_above_the_servers_limit_must_throw_TooLarge_without_being_sent()
    {
        await using var small = await FakeBotApi.StartAsync(Token, maxUploadBytes: 1024 * 1024);
        var (video, _) = RandomFile("big.mp4", 3 * 1024 * 1024);
        using var http = TelegramBotClient.CreateHttpClient();
        var client = new TelegramBotClient(http, Options() with { ApiBaseUrl = small.BaseUrl });

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendVideoAsync(new SendVideo(-100, video)));

        Assert.Equal(TelegramErrorKind.TooLarge, error.Kind);
        Assert.Equal("Request Entity Too Large", error.Description);
        Assert.Single(small.Arrivals);
        Assert.Empty(small.Received);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(403, "Forbidden: bot is not a member of the channel chat")]
    [InlineData(400, "Bad Request: chat not found")]
    public async Task A_403_or_400_must_throw_Fatal_at_once_with_the_description(int code, string description)
    {
        Fake.Enqueue("sendMessage", code == 403 ? Fault.Forbidden(description) : Fault.BadRequest(description));
        var client = Client();

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendMessageAsync(-100, "hello"));

        Assert.Equal(TelegramErrorKind.Fatal, error.Kind);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(description, error.Description);
        Assert.Contains(description, error.Message, StringComparison.Ordinal);
        Assert.Single(Fake.Arrivals);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_token_must_throw_Fatal_without_the_token_in_the_message()
    {
        const string wrong = "987654321:AAWrongTokenThatMustNotLeak";
        var client = Client(o => o with { BotToken = wrong });

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.GetMeAsync());

        Assert.Equal(TelegramErrorKind.Fatal, error.Kind);
        Assert.Equal(401, error.ErrorCode);
        Assert.Equal("Unauthorized", error.Description);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("/bot***/getMe", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_refused_connection_must_be_transient_and_never_show_the_token()
    {
        var options = Options(o => o with { ApiBaseUrl = "http://127.0.0.1:1", MaxRetries = 0 });
        using var http = TelegramBotClient.CreateHttpClient();
        var client = new TelegramBotClient(http, options);

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendMessageAsync(7, "hello"));

        Assert.Equal(TelegramErrorKind.Transient, error.Kind);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transient_failures_must_give_up_after_MaxRetries_with_the_last_error()
    {
        Fake.Enqueue("sendMessage", Fault.ServerError());
        Fake.Enqueue("sendMessage", Fault.ServerError(502));
        var client = Client(o => o with { MaxRetries = 1 });

        var error = await Assert.ThrowsAsync<TelegramApiException>(() => client.SendMessageAsync(7, "hello"));

        Assert.Equal(TelegramErrorKind.Transient, error.Kind);
        Assert.Equal(502, error.ErrorCode);
        Assert.Equal(2, Fake.Arrivals.Count);
        Assert.Empty(Fake.Received);
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancelling_during_a_retry_wait_must_throw_OperationCanceledException_at_once()
    {
        Fake.Enqueue("sendMessage", Fault.TooManyRequests(60));
        var client = Client();
        using var cancel = new CancellationTokenSource();
        client.Retrying += _ => cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendMessageAsync(7, "hello", cancellationToken: cancel.Token));

        Assert.Single(Fake.Arrivals);
    }
}
