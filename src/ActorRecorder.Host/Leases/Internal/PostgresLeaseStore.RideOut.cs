using System.Diagnostics;
using Akka.Event;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// Riding out a database outage. When PostgreSQL stops answering, nobody can take a lease: the current holders may keep
/// their channels for as long as nobody else could be given them. Akka gives a shard to another node only when its node
/// leaves or is downed, and the split-brain resolver downs a node only after its peers have seen it unreachable for
/// stable-after; so while this node is Up, on the majority side, and hears every counted peer's heartbeats on time (the
/// cluster is whole), no other node can be handed its shards — and none could take their leases while the database is
/// down anyway. A lease whose local validity runs out while its renewals fail, and whose validity was still running when
/// the first failed statement was sent (it did not lapse before), is then held on for ride-out: CheckLease stays true,
/// renewals go on, and the first renewal that reaches the database either renews it (holder and version still ours:
/// nobody took it meanwhile) or finds it taken (lost at once).
/// <para>
/// The verdict "whole" is taken by the expiry thread every 200 ms and lasts 1.5 s unless taken again: a process frozen
/// longer finds it lapsed when it thaws, and the expiry thread, seeing it did not run for a second, trusts the cluster
/// again only after 2 s of looks (a thawed process may first read stale heartbeats and gossip), so the leases that lapsed
/// during a freeze are lost in its first pass, as without a ride-out. A member becoming unreachable, this node
/// leaving the majority, or this node giving its channels up (another member reaches the database) ends every ride-out
/// within 200 ms, well inside stable-after, before the peers could down this node and take its channels.
/// </para>
/// </summary>
internal sealed partial class PostgresLeaseStore
{
    /// <summary>How long a "the cluster is whole" verdict holds unless the expiry thread takes it again.</summary>
    private static readonly long WholeFor = Stopwatch.Frequency * 3 / 2;

    private long _rideOutTicks;
    private Func<bool>? _whole;
    private long _wholeUntil;
    private int _ridingSaid;

    /// <summary>How long past their validity leases are held through an outage; zero: not at all.</summary>
    public TimeSpan RideOut => TimeSpan.FromSeconds((double)Volatile.Read(ref _rideOutTicks) / Stopwatch.Frequency);

    /// <summary>
    /// Lets leases be held for <paramref name="rideOut"/> past their validity while <paramref name="wholeCluster"/> (called
    /// on the expiry thread, so it must be thread-safe and quick) says this node stands in a whole cluster.
    /// </summary>
    internal void RideOutWhile(TimeSpan rideOut, Func<bool> wholeCluster)
    {
        _whole = wholeCluster;
        Volatile.Write(ref _rideOutTicks, (long)(rideOut.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>How many leases are held past their validity through an outage now.</summary>
    internal int RiddenOut
    {
        get
        {
            lock (_gate)
            {
                return _leases.Count(lease => lease.Ticket() is { Holding.Riding: true });
            }
        }
    }

    /// <summary>Whether the cluster counted as whole at the expiry thread's last look (within 1.5 s).</summary>
    internal bool Whole => Stopwatch.GetTimestamp() < Volatile.Read(ref _wholeUntil);

    /// <summary>Ends every ride-out now: this node gives its channels up. The leases past their validity are lost at once.</summary>
    internal void EndRideOut()
    {
        Volatile.Write(ref _rideOutTicks, 0);
        Volatile.Write(ref _wholeUntil, 0);
        _expiryWake.Set();
    }

    /// <summary>
    /// How long the cluster must have looked whole, pass after pass, before the verdict is trusted again after this thread
    /// did not run for a second (the process was frozen, or the machine starved it): what a thawed process reads first —
    /// heartbeats queued before the freeze, gossip not yet caught up — may be stale, and meanwhile its lapsed leases go.
    /// </summary>
    private static readonly long WholeSettle = Stopwatch.Frequency * 2;

    private long _lastLook;
    private long _wholeSince;

    /// <summary>The expiry thread's look at the cluster, before each pass.</summary>
    private void LookAtCluster()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _lastLook > Stopwatch.Frequency)
        {
            _wholeSince = 0;
        }
        _lastLook = now;
        var whole = false;
        if (_whole is { } predicate && Volatile.Read(ref _rideOutTicks) > 0)
        {
            try
            {
                whole = predicate();
            }
            catch (Exception e)
            {
                _log.Error(e, "Looking whether the cluster is whole failed; leases are not ridden out meanwhile");
            }
        }
        _wholeSince = !whole ? 0 : _wholeSince == 0 ? now : _wholeSince;
        var trusted = whole && now - _wholeSince >= WholeSettle;
        Volatile.Write(ref _wholeUntil, trusted ? now + WholeFor : 0);
    }

    /// <summary>Whether <paramref name="holding"/>, past its local validity at <paramref name="now"/>, still counts as held.</summary>
    internal bool Rides(LeaseHolding holding, long now)
    {
        var rideOut = Volatile.Read(ref _rideOutTicks);
        if (rideOut == 0 || now >= holding.ValidUntil + rideOut || now >= Volatile.Read(ref _wholeUntil))
        {
            return false;
        }
        if (holding.Riding)
        {
            return true;
        }
        var failingSince = Volatile.Read(ref _failingSince);
        if (failingSince == 0 && Volatile.Read(ref _roundSentAt) is var sentAt and not 0 && now - sentAt > HangingAfter)
        {
            failingSince = sentAt; // a renewal still waiting for a database that stopped answering (a black hole, not a refusal)
        }
        return failingSince != 0 && holding.ValidUntil >= failingSince;
    }

    /// <summary>A renewal round unanswered for this long counts as failing, before its timeout says so.</summary>
    private static readonly long HangingAfter = Stopwatch.Frequency / 2;

    /// <summary>When the renewal round in flight was sent (Stopwatch); 0 while none is.</summary>
    private long _roundSentAt;

    /// <summary>Says once per outage that leases are being held past their validity.</summary>
    private void SayRiding(int leases)
    {
        if (Interlocked.Exchange(ref _ridingSaid, 1) == 0)
        {
            _log.Warning("PostgreSQL on {0} has not answered for {1:0.0} s and the cluster is whole: holding {2} lease(s) past their validity "
                + "for up to {3:0.#} s (ride-out), their channels record on", Database, UnreachableFor.TotalSeconds, leases, RideOut.TotalSeconds);
        }
    }
}
