namespace ActorRecorder.Telegram;

/// <summary>Published before the client waits to retry a failed attempt, so the caller can log retries.</summary>
/// <param name="Method">Bot API method.</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="Delay">The wait before the next attempt.</param>
/// <param name="Error">Why the attempt failed.</param>
public sealed record TelegramRetryNotice(string Method, int Attempt, TimeSpan Delay, TelegramApiException Error);
