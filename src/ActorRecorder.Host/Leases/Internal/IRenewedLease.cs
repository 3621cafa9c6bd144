namespace ActorRecorder.Host.Leases.Internal;

/// <summary>A lease as the store's renewal rounds see it.</summary>
internal interface IRenewedLease
{
    /// <summary>What to renew for this lease in the coming round, or null while it is not held.</summary>
    RenewalTicket? Ticket();

    /// <summary>The row was still ours at a round trip that started at <paramref name="startedAt"/> (a Stopwatch timestamp).</summary>
    void Renewed(RenewalTicket ticket, long startedAt);

    /// <summary>No renewal succeeded before the local validity of the ticket's holding ran out: the lease is lost.</summary>
    void Expired(RenewalTicket ticket);

    /// <summary>
    /// The renewal statement did not match the row (taken, deleted or expired): the lease is lost, unless an acquire by
    /// this owner overlapped the round and may have rewritten the row's version itself.
    /// </summary>
    void Refused(RenewalTicket ticket);
}

/// <summary>One lease's row in a renewal round; <paramref name="Writes"/> is the lease's count of acquire starts and ends when it was taken.</summary>
internal sealed record RenewalTicket(IRenewedLease Lease, LeaseHolding Holding, long Writes, string Name, string Holder, TimeSpan Ttl, TimeSpan Interval);
