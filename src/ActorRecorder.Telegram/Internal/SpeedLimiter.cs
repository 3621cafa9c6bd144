using System.Threading.RateLimiting;

namespace ActorRecorder.Telegram.Internal;

/// <summary>
/// A byte-rate limit shared by all uploads of one client: a token bucket (System.Threading.RateLimiting) of bytes,
/// refilled every <see cref="Period"/> by a timer on the client's <see cref="TimeProvider"/>. Concurrent uploads queue
/// for the bytes in arrival order, so they split the rate; an idle limit saves up at most one chunk.
/// </summary>
internal sealed class SpeedLimiter : IDisposable
{
    /// <summary>How often the bucket is refilled; a late tick (a busy machine) only makes the upload slower, never faster.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _refill;

    /// <param name="bytesPerSecond">The rate, above 0.</param>
    /// <param name="maxChunk">The largest single request (a read's size): the bucket holds at least that much.</param>
    /// <param name="time">Drives the refills.</param>
    public SpeedLimiter(long bytesPerSecond, int maxChunk, TimeProvider time)
    {
        var perPeriod = (int)Math.Clamp(Math.Ceiling(bytesPerSecond * Period.TotalSeconds), 1, int.MaxValue);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(maxChunk, perPeriod),
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = Period,
            AutoReplenishment = false, // its own timer runs on the wall clock; ours runs on the client's TimeProvider
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _refill = time.CreateTimer(static bucket => ((TokenBucketRateLimiter)bucket!).TryReplenish(), _bucket, Period, Period);
    }

    /// <summary>Waits until <paramref name="bytes"/> more bytes fit the rate (at most the <c>maxChunk</c> given at construction).</summary>
    public async Task WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException($"the speed limit refused {bytes} bytes (more than its bucket holds)");
        }
    }

    public void Dispose()
    {
        _refill.Dispose();
        _bucket.Dispose();
    }
}
