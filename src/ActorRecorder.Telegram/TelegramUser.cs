namespace ActorRecorder.Telegram;

/// <summary>A Bot API <c>User</c>; <see cref="TelegramBotClient.GetMeAsync"/> returns the bot itself.</summary>
public sealed record TelegramUser(long Id, bool IsBot, string FirstName, string? Username);
