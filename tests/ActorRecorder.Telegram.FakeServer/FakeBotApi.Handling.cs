using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ActorRecorder.Telegram.FakeServer;

// Routing, faults and the answers' envelope.
public sealed partial class FakeBotApi
{
    private static readonly Dictionary<string, string> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sendVideo"] = "sendVideo",
        ["sendMediaGroup"] = "sendMediaGroup",
        ["sendMessage"] = "sendMessage",
        ["editMessageText"] = "editMessageText",
        ["deleteMessage"] = "deleteMessage",
        ["copyMessages"] = "copyMessages",
        ["getUpdates"] = "getUpdates",
        ["getMe"] = "getMe",
    };

    private async Task HandleAsync(HttpContext context)
    {
        var at = _time.GetUtcNow();
        var path = context.Request.Path.Value ?? string.Empty;
        var slash = path.LastIndexOf('/');
        if (!path.StartsWith("/bot", StringComparison.Ordinal) || slash < 4)
        {
            await ErrorAsync(context, 404, "Not Found");
            return;
        }
        var token = path[4..slash];
        var requested = path[(slash + 1)..];
        if (!string.Equals(token, _token, StringComparison.Ordinal))
        {
            Arrive(requested, at, consumeFault: false);
            await ErrorAsync(context, 401, "Unauthorized");
            return;
        }
        if (!Methods.TryGetValue(requested, out var method))
        {
            Arrive(requested, at, consumeFault: false);
            await ErrorAsync(context, 404, "Not Found: method not found");
            return;
        }

        var fault = Arrive(method, at, consumeFault: true);
        if (context.Request.ContentLength > _maxUploadBytes)
        {
            await ErrorAsync(context, 413, "Request Entity Too Large");
            return;
        }
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            if (fault is StallFault stall)
                await Task.Delay(stall.Duration, _time, aborted.Token);
            if (fault is ResetFault)
            {
                // Some of the body arrives, then the connection drops: the client sees a reset, not an answer.
                await context.Request.Body.ReadAtLeastAsync(new byte[64 * 1024], 1, throwOnEndOfStream: false, aborted.Token);
                context.Abort();
                return;
            }

            FakeForm form;
            try
            {
                form = await FakeForm.ReadAsync(context.Request, _maxUploadBytes, aborted.Token);
            }
            catch (FakeTooLargeException)
            {
                await ErrorAsync(context, 413, "Request Entity Too Large");
                return;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException
                && !aborted.IsCancellationRequested)
            {
                await ErrorAsync(context, 400, "Bad Request: can't parse request body");
                return;
            }

            switch (fault)
            {
                case AnswerFault answer:
                    await ErrorAsync(context, answer.StatusCode, answer.Description, answer.RetryAfterSeconds);
                    return;
                case HtmlFault html:
                    context.Response.StatusCode = html.StatusCode;
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync(
                        $"<html><head><title>{html.StatusCode}</title></head><body><center><h1>{html.StatusCode}</h1></center><hr><center>nginx</center></body></html>",
                        aborted.Token);
                    return;
            }

            await (method switch
            {
                "sendVideo" => SendVideoAsync(context, form, at, aborted.Token),
                "sendMediaGroup" => SendMediaGroupAsync(context, form, at),
                "sendMessage" => SendMessageAsync(context, form, at),
                "editMessageText" => EditMessageTextAsync(context, form, at),
                "deleteMessage" => DeleteMessageAsync(context, form, at),
                "copyMessages" => CopyMessagesAsync(context, form, at),
                "getUpdates" => GetUpdatesAsync(context, form, at, aborted.Token),
                _ => GetMeAsync(context, at),
            });
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left (its timeout) or the fake is stopping: nobody to answer.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The connection dropped mid-body.
        }
        catch (BadHttpRequestException)
        {
            // A body cut short by the client.
        }
    }

    private Fault? Arrive(string method, DateTimeOffset at, bool consumeFault)
    {
        lock (_lock)
        {
            Fault? fault = consumeFault && _faults.TryGetValue(method, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
            if (consumeFault && fault is null && _recurring.TryGetValue(method, out var rule))
            {
                rule.Count++;
                fault = rule.Count % rule.Every == 0 ? rule.Fault : null;
            }
            _arrivals.Add(new RequestArrival(method, at, fault));
            return fault;
        }
    }

    private static Task OkAsync(HttpContext context, JsonNode result) =>
        WriteJsonAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = result });

    private static Task ErrorAsync(HttpContext context, int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        return WriteJsonAsync(context, code, body);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
