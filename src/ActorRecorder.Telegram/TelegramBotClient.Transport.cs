using System.Net.Http.Headers;
using System.Text.Json;
using ActorRecorder.Telegram.Internal;

namespace ActorRecorder.Telegram;

// One attempt on the wire, its timeout, and how its failures are classified.
public sealed partial class TelegramBotClient
{
    private async Task<JsonElement> CallAsync(
        string method, ChatId? chat, Func<HttpContent?> content, TimeSpan timeout, bool expectContinue,
        CancellationToken cancellationToken)
    {
        var url = new Uri($"{_options.ApiBaseUrl.TrimEnd('/')}/bot{_options.BotToken}/{method}");
        var maskedUrl = $"{_options.ApiBaseUrl.TrimEnd('/')}/bot***/{method}";
        return await _retry.RunAsync(
            method,
            async (_, ct) =>
            {
                if (chat is not { } target)
                    return await SendOnceAsync(method, url, maskedUrl, content, timeout, expectContinue, ct).ConfigureAwait(false);
                await _pacer.WaitTurnAsync(target, ct).ConfigureAwait(false);
                try
                {
                    return await SendOnceAsync(method, url, maskedUrl, content, timeout, expectContinue, ct).ConfigureAwait(false);
                }
                finally
                {
                    _pacer.Completed(target);
                }
            },
            Retrying, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> SendOnceAsync(
        string method, Uri url, string maskedUrl, Func<HttpContent?> content, TimeSpan timeout, bool expectContinue,
        CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
        if (expectContinue)
            request.Headers.ExpectContinue = true;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return BotApiResponse.ReadResult(method, maskedUrl, (int)response.StatusCode, response.ReasonPhrase, body);
        }
        catch (OperationCanceledException e) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TelegramApiException(
                method, TelegramErrorKind.Transient, 0, $"no answer within {timeout.TotalSeconds:0.#} s", maskedUrl, innerException: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Reset, refused, DNS, a body cut short: the server may or may not have acted on the request.
            var reason = e.Message.Replace(_options.BotToken, "***", StringComparison.Ordinal);
            throw new TelegramApiException(
                method, TelegramErrorKind.Transient, 0, $"connection failed: {reason}", maskedUrl, innerException: e);
        }
    }

    private static ByteArrayContent JsonBody(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
