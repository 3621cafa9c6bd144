using System.Globalization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Telegram;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Posts parts to a Telegram chat with the Bot API client (streamed upload, caption from the template,
/// duration, size and thumbnail). The client already waits out 429s and retries transient errors; what it
/// still throws is sorted here: a refusal retrying cannot fix (bad chat, bot not admin, file too big) fails
/// the session with Telegram's reason; anything else defers the part for a later retry.
/// </summary>
public sealed class TelegramTarget(TelegramBotClient client, TelegramTargetSettings settings) : IUploadTarget, IStatusBoard
{
    private readonly ChatId _chat = ChatId.Parse(settings.ChatId);

    public string Name => "telegram";

    public async Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var caption = CaptionTemplate.Render(settings.CaptionTemplate, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["channel"] = item.ChannelId,
            ["title"] = item.Title ?? item.ChannelId,
            ["start"] = item.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["part"] = item.Part.Number.ToString(CultureInfo.InvariantCulture),
            ["parts"] = item.PartCount.ToString(CultureInfo.InvariantCulture),
            ["duration"] = item.Part.Duration.ToString(item.Part.Duration.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture),
        });
        var request = new SendVideo(_chat, item.Part.Path)
        {
            Caption = caption,
            Duration = item.Part.Duration,
            Width = item.Part.Width,
            Height = item.Part.Height,
            ThumbnailPath = item.Part.ThumbnailPath,
        };
        try
        {
            var message = await client.SendVideoAsync(request, cancellationToken).ConfigureAwait(false);
            return $"{_chat}/{message.MessageId.ToString(CultureInfo.InvariantCulture)}";
        }
        catch (TelegramApiException ex) when (ex.Kind is TelegramErrorKind.TooLarge)
        {
            throw new PartTooLargeException($"Telegram refused part {item.Part.Number} ({item.Part.Bytes} bytes) as too big: {ex.Description}", ex);
        }
        catch (TelegramApiException ex) when (ex.Kind is TelegramErrorKind.Fatal)
        {
            throw new DeliveryRejectedException($"Telegram refused part {item.Part.Number}: {ex.Description}", ex);
        }
        catch (TelegramApiException ex)
        {
            throw new DeliveryDeferredException($"Telegram did not take part {item.Part.Number} yet: {ex.Description}", ex);
        }
    }

    public async Task<string> PostAsync(string text, CancellationToken cancellationToken)
    {
        var message = await client.SendMessageAsync(_chat, text, cancellationToken: cancellationToken).ConfigureAwait(false);
        return message.MessageId.ToString(CultureInfo.InvariantCulture);
    }

    public Task EditAsync(string messageId, string text, CancellationToken cancellationToken) =>
        client.EditMessageTextAsync(_chat, long.Parse(messageId, CultureInfo.InvariantCulture), text, cancellationToken: cancellationToken);

    /// <summary>t.me links: <c>t.me/name/id</c> for a public channel, <c>t.me/c/internal-id/id</c> for a private one.</summary>
    public string? LinkTo(string location)
    {
        var id = location[(location.LastIndexOf('/') + 1)..];
        if (_chat.Username is { } username)
        {
            return $"https://t.me/{username.TrimStart('@')}/{id}";
        }
        var chat = _chat.Id?.ToString(CultureInfo.InvariantCulture) ?? "";
        return chat.StartsWith("-100", StringComparison.Ordinal) ? $"https://t.me/c/{chat[4..]}/{id}" : null;
    }
}
