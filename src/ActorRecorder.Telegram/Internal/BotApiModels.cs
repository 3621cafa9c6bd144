using System.Text.Json;

namespace ActorRecorder.Telegram.Internal;

/// <summary>Maps Bot API JSON objects to the library's records (no reflection: trimming-safe).</summary>
internal static class BotApiModels
{
    public static TelegramMessage ReadMessage(JsonElement message)
    {
        var video = message.TryGetProperty("video", out var v) && v.ValueKind == JsonValueKind.Object
            ? new TelegramVideo(String(v, "file_id") ?? string.Empty, String(v, "file_unique_id") ?? string.Empty)
            {
                Duration = (int)(Int64(v, "duration") ?? 0),
                Width = (int)(Int64(v, "width") ?? 0),
                Height = (int)(Int64(v, "height") ?? 0),
                FileName = String(v, "file_name"),
                FileSize = Int64(v, "file_size"),
            }
            : null;
        var chatId = message.TryGetProperty("chat", out var chat) ? Int64(chat, "id") ?? 0 : 0;
        return new TelegramMessage(
            Int64(message, "message_id") ?? 0, chatId, DateTimeOffset.FromUnixTimeSeconds(Int64(message, "date") ?? 0))
        {
            Text = String(message, "text"),
            Caption = String(message, "caption"),
            Video = video,
        };
    }

    public static TelegramUser ReadUser(JsonElement user) => new(
        Int64(user, "id") ?? 0,
        user.TryGetProperty("is_bot", out var bot) && bot.ValueKind == JsonValueKind.True,
        String(user, "first_name") ?? string.Empty,
        String(user, "username"));

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Int64(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
