namespace ActorRecorder.Actors.Pattern;

/// <summary>Builds <see cref="BackoffOptions"/> (Akka.NET's <c>Backoff.OnFailure</c> / <c>Backoff.OnStop</c>).</summary>
public static class Backoff
{
    /// <summary>Restart the child with growing delays when it fails (its failures stop it; the supervisor starts it again).</summary>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>Start the child again with growing delays whenever it stops, for whatever reason.</summary>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor);
}

public enum BackoffMode
{
    OnFailure,
    OnStop,
}

/// <summary>
/// How a <see cref="BackoffSupervisor"/> restarts its child: the n-th restart waits
/// <c>min(maxBackoff, minBackoff * 2^n)</c> plus up to <c>randomFactor</c> of that at random; after the
/// child has run for <see cref="ResetBackoffAfter"/> the count starts again; past
/// <see cref="MaxNrOfRetries"/> restarts the supervisor stops itself.
/// </summary>
public sealed record BackoffOptions
{
    internal BackoffOptions(BackoffMode mode, Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff,
        double randomFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBackoff, minBackoff);
        ArgumentOutOfRangeException.ThrowIfLessThan(randomFactor, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(randomFactor, 1.0);
        Mode = mode;
        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
        ResetBackoffAfter = minBackoff;
    }

    public BackoffMode Mode { get; }
    public Props ChildProps { get; }
    public string ChildName { get; }
    public TimeSpan MinBackoff { get; }
    public TimeSpan MaxBackoff { get; }
    public double RandomFactor { get; }

    /// <summary>The child must live this long after a start for the restart count to reset (default: minBackoff).</summary>
    public TimeSpan ResetBackoffAfter { get; init; }

    /// <summary>-1: no limit.</summary>
    public int MaxNrOfRetries { get; init; } = -1;

    /// <summary>Decides about the child's failures in OnStop mode (in OnFailure mode, Restart means back off).</summary>
    public SupervisorStrategy? Strategy { get; init; }

    public BackoffOptions WithAutoReset(TimeSpan resetBackoff) => this with { ResetBackoffAfter = resetBackoff };

    public BackoffOptions WithMaxNrOfRetries(int maxNrOfRetries) => this with { MaxNrOfRetries = maxNrOfRetries };

    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy) => this with { Strategy = strategy };

    /// <summary>The delay before restart number <paramref name="restartCount"/> (0-based).</summary>
    public TimeSpan DelayFor(int restartCount, double random)
    {
        var exponent = Math.Min(restartCount, 30);
        var baseTicks = Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)Math.Min(long.MaxValue / 2.0, baseTicks * (1 + random * RandomFactor)));
    }
}
