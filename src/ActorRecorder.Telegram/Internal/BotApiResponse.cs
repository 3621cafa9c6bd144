using System.Text.Json;

namespace ActorRecorder.Telegram.Internal;

/// <summary>Reads the Bot API envelope <c>{ok, result | error_code, description, parameters}</c>.</summary>
internal static class BotApiResponse
{
    /// <summary>Returns <c>result</c> of a successful answer; throws <see cref="TelegramApiException"/> otherwise.</summary>
    /// <remarks>A body that is not Bot API JSON is classified by <paramref name="status"/>; on a 2xx it is a truncated answer (transient).</remarks>
    public static JsonElement ReadResult(string method, string maskedUrl, int status, string? reason, byte[] body)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
        }

        using (document)
        {
            if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("ok", out var ok) && ok.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                if (ok.ValueKind == JsonValueKind.True && root.TryGetProperty("result", out var result))
                    return result.Clone();
                var code = root.TryGetProperty("error_code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var parsed) ? parsed : status;
                var description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String
                    ? d.GetString()!
                    : $"HTTP {status} {reason}".TrimEnd();
                TimeSpan? retryAfter = root.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
                    && p.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
                throw new TelegramApiException(
                    method, TelegramApiException.Classify(code, description), code, description, maskedUrl, retryAfter);
            }
        }

        if (status is >= 200 and < 300)
        {
            throw new TelegramApiException(
                method, TelegramErrorKind.Transient, status,
                $"truncated or invalid answer ({body.Length} bytes, not Bot API JSON)", maskedUrl);
        }
        var fallback = $"HTTP {status} {reason}".TrimEnd();
        throw new TelegramApiException(method, TelegramApiException.Classify(status, fallback), status, fallback, maskedUrl);
    }
}
