using Polly;
using Polly.Retry;

namespace ActorRecorder.Telegram;

/// <summary>
/// The client's retry rule in one place, as a Polly retry pipeline: 429 waits exactly <c>retry_after</c>; transient
/// failures back off exponentially (<see cref="TelegramOptions.InitialBackoff"/> doubling up to <see cref="TelegramOptions.MaxBackoff"/>,
/// no jitter: the per-chat pacer already spreads calls); <see cref="TelegramErrorKind.TooLarge"/> and <see cref="TelegramErrorKind.Fatal"/>
/// are thrown at once. At most <see cref="TelegramOptions.MaxRetries"/> retries of any kind; then the last failure is thrown.
/// Waits run on the client's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TelegramRetry
{
    private static readonly ResiliencePropertyKey<string> MethodKey = new("telegram.method");
    private static readonly ResiliencePropertyKey<Action<TelegramRetryNotice>?> NotifyKey = new("telegram.notify");

    private readonly ResiliencePipeline _pipeline;

    public TelegramRetry(TelegramOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TelegramApiException { Kind: TelegramErrorKind.RateLimited or TelegramErrorKind.Transient }),
                // A 429 says how long to wait; anything else (null) takes the exponential back-off.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TelegramApiException { Kind: TelegramErrorKind.RateLimited, RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (args.Context.Properties.GetValue(NotifyKey, null) is { } notify)
                    {
                        notify(new TelegramRetryNotice(args.Context.Properties.GetValue(MethodKey, "?"), args.AttemptNumber + 1, args.RetryDelay,
                            (TelegramApiException)args.Outcome.Exception!));
                    }
                    return default;
                },
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds or the rule gives up; <paramref name="notify"/> hears of each retry before its wait.</summary>
    public async Task<T> RunAsync<T>(
        string method, Func<CancellationToken, Task<T>> attempt, Action<TelegramRetryNotice>? notify,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(method, cancellationToken);
        context.Properties.Set(MethodKey, method);
        context.Properties.Set(NotifyKey, notify);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, run) => await run(ctx.CancellationToken).ConfigureAwait(false), context, attempt).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
