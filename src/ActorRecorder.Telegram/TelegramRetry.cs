namespace ActorRecorder.Telegram;

/// <summary>
/// The client's retry rule in one place: 429 waits exactly <c>retry_after</c>; transient failures back off
/// exponentially (<see cref="TelegramOptions.InitialBackoff"/> doubling up to <see cref="TelegramOptions.MaxBackoff"/>);
/// <see cref="TelegramErrorKind.TooLarge"/> and <see cref="TelegramErrorKind.Fatal"/> are thrown at once.
/// At most <see cref="TelegramOptions.MaxRetries"/> retries of any kind; then the last failure is thrown.
/// </summary>
internal sealed class TelegramRetry(TelegramOptions options, TimeProvider time)
{
    /// <summary>Runs <paramref name="attempt"/> (given the attempt number from 1) until it succeeds or the rule gives up.</summary>
    public async Task<T> RunAsync<T>(
        string method, Func<int, CancellationToken, Task<T>> attempt, Action<TelegramRetryNotice>? notify,
        CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number, cancellationToken).ConfigureAwait(false);
            }
            catch (TelegramApiException error) when (number <= options.MaxRetries && DelayBeforeRetry(error, number) is { } delay)
            {
                notify?.Invoke(new TelegramRetryNotice(method, number, delay, error));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The wait before retrying after <paramref name="failedAttempt"/> failed with <paramref name="error"/>; null = do not retry.</summary>
    public TimeSpan? DelayBeforeRetry(TelegramApiException error, int failedAttempt) => error.Kind switch
    {
        TelegramErrorKind.RateLimited => error.RetryAfter ?? Backoff(failedAttempt),
        TelegramErrorKind.Transient => Backoff(failedAttempt),
        _ => null,
    };

    /// <summary>1, 2, 4 … × <see cref="TelegramOptions.InitialBackoff"/>, capped at <see cref="TelegramOptions.MaxBackoff"/>.</summary>
    public TimeSpan Backoff(int failedAttempt)
    {
        var exponent = Math.Min(failedAttempt - 1, 30);
        var ticks = options.InitialBackoff.Ticks * (double)(1L << exponent);
        return ticks >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}
