namespace ActorRecorder.Telegram.Internal;

/// <summary>
/// A byte-rate limit shared by all uploads of one client. Each caller reserves time for the bytes it sent, so
/// concurrent uploads split the rate; idle time earns no burst.
/// </summary>
internal sealed class SpeedLimiter(long bytesPerSecond, TimeProvider time)
{
    // Waits shorter than this are owed rather than taken: the debt is paid by a later, longer wait, so timer
    // granularity does not slow fast limits down.
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(15);

    private readonly Lock _lock = new();
    private long _nextFree;

    /// <summary>Waits until <paramref name="bytes"/> more bytes fit the rate.</summary>
    public Task WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var start = Math.Max(now, _nextFree);
            _nextFree = start + (long)(bytes * (double)time.TimestampFrequency / bytesPerSecond);
            wait = TimeSpan.FromSeconds((_nextFree - now) / (double)time.TimestampFrequency);
        }
        return wait >= MinWait ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }
}
