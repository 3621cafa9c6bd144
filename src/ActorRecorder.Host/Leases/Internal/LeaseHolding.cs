namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// One tenure of a lease: from a successful acquire until release or loss. A new acquire makes a new holding, so a
/// renewal result that arrives for an older one is recognised and ignored.
/// </summary>
internal sealed class LeaseHolding(long version, long validUntil, Action<Exception>? onLost)
{
    private long _validUntil = validUntil;
    private int _riding;

    /// <summary>The row's version written by the acquire: renewals and the release match it.</summary>
    public long Version { get; } = version;

    /// <summary>The Stopwatch timestamp at which the lease stops counting as held here, unless renewed before.</summary>
    public long ValidUntil => Volatile.Read(ref _validUntil);

    /// <summary>
    /// Whether it is held past <see cref="ValidUntil"/> through a database outage (PostgresLeaseStore.RideOut.cs): until a
    /// renewal answers (renewed or refused), the ride-out ends, or the cluster stops being whole.
    /// </summary>
    public bool Riding => Volatile.Read(ref _riding) == 1;

    public Action<Exception>? OnLost { get; } = onLost;

    /// <summary>Marks it ridden out; true the first time (to say so once).</summary>
    public bool StartRiding() => Interlocked.Exchange(ref _riding, 1) == 0;

    /// <summary>Moves the local validity forward (never back: round trips may finish out of order) and ends a ride-out.</summary>
    public void Extend(long validUntil)
    {
        var current = Volatile.Read(ref _validUntil);
        while (validUntil > current)
        {
            var seen = Interlocked.CompareExchange(ref _validUntil, validUntil, current);
            if (seen == current)
            {
                Volatile.Write(ref _riding, 0);
                return;
            }
            current = seen;
        }
    }
}
