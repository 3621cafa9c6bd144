using System.Net;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests.Abstractions;
using Bot = Telegram.Bot;

namespace ActorRecorder.Telegram;

// One attempt through Telegram.Bot, its timeout, and how its failures are classified.
public sealed partial class TelegramBotClient
{
    /// <summary>
    /// Telegram.Bot underneath: its requests, models and multipart encoding over our <see cref="HttpClient"/>. Its own
    /// automatic retry of 429s is off (<see cref="TelegramRetry"/> retries everything by one rule, with our pacing).
    /// </summary>
    private static Bot.TelegramBotClient CreateBot(TelegramOptions options, HttpClient http)
    {
        Bot.TelegramBotClientOptions botOptions;
        try
        {
            botOptions = new Bot.TelegramBotClientOptions(options.BotToken, options.ApiBaseUrl) { RetryCount = 0 };
        }
        catch (ArgumentException)
        {
            // Its message may quote the token: say what is wrong without it.
            throw new ArgumentException("TelegramOptions.BotToken is not a bot token (digits, ':', then the secret, as @BotFather gives it) "
                + "or ApiBaseUrl is not an absolute URL.", nameof(options));
        }
        return new Bot.TelegramBotClient(botOptions, http);
    }

    /// <summary>One call, paced for its chat and retried by <see cref="TelegramRetry"/>'s rule.</summary>
    private Task<T> CallAsync<T>(IRequest<T> request, ChatId? chat, TimeSpan timeout, CancellationToken cancellationToken) =>
        _retry.RunAsync(request.MethodName, ct => CallOnceAsync(request, chat, timeout, ct), Retrying, cancellationToken);

    /// <summary>One attempt, paced for its chat.</summary>
    private async Task<T> CallOnceAsync<T>(IRequest<T> request, ChatId? chat, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (chat is not { } target)
            return await SendOnceAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        await _pacer.WaitTurnAsync(target, cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendOnceAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pacer.Completed(target);
        }
    }

    private async Task<T> SendOnceAsync<T>(IRequest<T> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var method = request.MethodName;
        var maskedUrl = $"{_options.ApiBaseUrl.TrimEnd('/')}/bot***/{method}";
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await _bot.SendRequest(request, linked.Token).ConfigureAwait(false);
        }
        catch (ApiRequestException e)
        {
            var retryAfter = e.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            throw new TelegramApiException(method, TelegramApiException.Classify(e.ErrorCode, e.Message), e.ErrorCode, Mask(e.Message), maskedUrl, retryAfter, e);
        }
        catch (OperationCanceledException e) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TelegramApiException(
                method, TelegramErrorKind.Transient, 0, $"no answer within {timeout.TotalSeconds:0.#} s", maskedUrl, innerException: e);
        }
        catch (RequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Not a Bot API answer: an HTTP error without its JSON, a body cut short, or no connection at all. The server may or
            // may not have acted on the request.
            var status = e.HttpStatusCode is { } code && code != HttpStatusCode.OK ? (int)code : 0;
            var reason = Mask(e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message);
            throw status == 0
                ? new TelegramApiException(method, TelegramErrorKind.Transient, 0, $"connection failed or the answer is not Bot API JSON: {reason}", maskedUrl, innerException: e)
                : new TelegramApiException(method, TelegramApiException.Classify(status, reason), status, $"HTTP {status}: {reason}", maskedUrl, innerException: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new TelegramApiException(method, TelegramErrorKind.Transient, 0, $"connection failed: {Mask(e.Message)}", maskedUrl, innerException: e);
        }
    }

    private string Mask(string text) => text.Replace(_options.BotToken, "***", StringComparison.Ordinal);
}
