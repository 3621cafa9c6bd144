namespace ActorRecorder.Telegram;

/// <summary>The parts of a Bot API <c>Message</c> the recorder uses.</summary>
/// <param name="MessageId">Id within the chat; what <see cref="TelegramBotClient.EditMessageTextAsync"/> takes.</param>
/// <param name="ChatId">The chat's numeric id (also for an <c>@username</c> target).</param>
/// <param name="Date">When Telegram accepted the message.</param>
public sealed record TelegramMessage(long MessageId, long ChatId, DateTimeOffset Date)
{
    /// <summary>Text of a text message.</summary>
    public string? Text { get; init; }

    /// <summary>Caption of a media message.</summary>
    public string? Caption { get; init; }

    /// <summary>The video, for a message sent with sendVideo.</summary>
    public TelegramVideo? Video { get; init; }
}
