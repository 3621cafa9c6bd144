using System.Diagnostics;
using Akka.Event;
using Npgsql;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// Renewal: one loop per store, on a thread of its own with synchronous database calls on connections of its own, so a
/// starved thread pool (blocked threads, a burst of work on a 2-core node) cannot delay a renewal: every await of an
/// asynchronous call would resume on the pool. Each round renews every held lease with one statement and gives up at
/// the earliest local validity among them (always shorter than the TTL, rounded up to a whole second: a late answer
/// only delays the lost callback, never the fence, which is CheckLease's local clock); a lease absent from the result
/// was taken or deleted, and a lease whose local validity ran out before a renewal succeeded counts as lost. The loop
/// sleeps the shortest heartbeat interval, or less when a validity is about to run out, and not at all while nothing
/// is held.
/// </summary>
internal sealed partial class PostgresLeaseStore
{
    /// <summary>
    /// Matches our rows by holder and version, and never revives one the database already counts as expired — unless it
    /// is ridden out through an outage (PostgresLeaseStore.RideOut.cs): then holder and version still being ours proves
    /// nobody took it meanwhile (every acquire writes a new version).
    /// </summary>
    private const string RenewSql = """
        UPDATE akka_lease AS l SET expires_at = now() + h.ttl
        FROM unnest(@names, @holders, @versions, @ttls, @riding) AS h(name, holder, version, ttl, riding)
        WHERE l.name = h.name AND l.holder = h.holder AND l.version = h.version AND (l.expires_at > now() OR h.riding)
        RETURNING l.name, l.holder
        """;

    private readonly Lock _gate = new();
    private readonly List<IRenewedLease> _leases = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly AutoResetEvent _expiryWake = new(false);
    private bool _idle;
    private ManualResetEventSlim? _resume;
    private TaskCompletionSource? _parked;

    /// <summary>Adds a lease to the renewal rounds (for the actor system's life: Akka keeps lease instances that long).</summary>
    public void Register(IRenewedLease lease)
    {
        lock (_gate)
        {
            _leases.Add(lease);
        }
    }

    /// <summary>A registered lease became held: wakes the loop if it is waiting for one.</summary>
    public void Held()
    {
        lock (_gate)
        {
            if (_idle)
            {
                _idle = false;
                Wake();
            }
        }
    }

    /// <summary>
    /// For the conformance spec's simulated freeze (a SIGSTOPped process): stops the renewal loop between rounds.
    /// Completes once it is parked.
    /// </summary>
    internal Task SuspendRenewalsAsync()
    {
        lock (_gate)
        {
            _resume ??= new ManualResetEventSlim(false);
            _parked ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Wake();
            return _parked.Task;
        }
    }

    internal void ResumeRenewals()
    {
        ManualResetEventSlim? resume;
        lock (_gate)
        {
            resume = _resume;
            _resume = null;
            _parked = null;
        }
        resume?.Set();
    }

    /// <summary>How often the expiry thread looks for leases whose local validity ran out.</summary>
    private static readonly TimeSpan ExpiryEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The expiry thread's body: declares lost, within <see cref="ExpiryEvery"/> of its local validity running out, a
    /// lease no renewal extended — also while the renewal thread waits for a statement that does not come back (its
    /// CheckLease is already false by then; this is about the lost callback, which stops the shard and its ffmpeg).
    /// </summary>
    private void ExpiryLoop(CancellationToken stopping)
    {
        while (WaitHandle.WaitAny([stopping.WaitHandle, _expiryWake], ExpiryEvery) != 0)
        {
            try
            {
                lock (_gate)
                {
                    if (_resume is not null)
                    {
                        continue; // the spec's simulated freeze stops the whole process, this thread too
                    }
                }
                LookAtCluster();
                List<RenewalTicket> tickets;
                lock (_gate)
                {
                    tickets = [.. _leases.Select(lease => lease.Ticket()).OfType<RenewalTicket>()];
                }
                DropExpired(tickets);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                _log.Error(e, "Looking for expired leases on {0} failed unexpectedly", Database);
            }
        }
    }

    /// <summary>The renewal thread's body; disposes the renewal connections when the store stops.</summary>
    private void RenewLoop(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    ParkWhileSuspended(stopping);
                    var tickets = Tickets();
                    if (tickets.Count == 0)
                    {
                        // Until a lease is held; its first renewal is then a heartbeat interval away, like every other.
                        _wake.Wait(stopping);
                    }
                    else if (DropExpired(tickets) is { Count: > 0 } live)
                    {
                        RenewRound(live, stopping);
                    }
                    _wake.Wait(NextRound(), stopping);
                }
                catch (Exception) when (stopping.IsCancellationRequested)
                {
                    return; // the actor system is terminating: whatever was in flight no longer matters
                }
                catch (Exception e)
                {
                    _log.Error(e, "Lease renewal on {0} failed unexpectedly; renewing again in a moment", Database);
                    stopping.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                }
            }
        }
        finally
        {
            _renewalSource.Dispose();
        }
    }

    private void ParkWhileSuspended(CancellationToken stopping)
    {
        ManualResetEventSlim? resume;
        TaskCompletionSource? parked;
        lock (_gate)
        {
            (resume, parked) = (_resume, _parked);
        }
        if (resume is not null)
        {
            parked?.TrySetResult();
            resume.Wait(stopping);
        }
    }

    /// <summary>The held leases; marks the loop idle (under the same lock <see cref="Held"/> takes) when there are none.</summary>
    private List<RenewalTicket> Tickets()
    {
        lock (_gate)
        {
            _idle = true;
            var tickets = _leases.Select(lease => lease.Ticket()).OfType<RenewalTicket>().ToList();
            _idle = tickets.Count == 0;
            return tickets;
        }
    }

    /// <summary>
    /// Declares lost the leases whose local validity ran out without a renewal, unless they are ridden out through an
    /// outage; returns the others.
    /// </summary>
    private List<RenewalTicket> DropExpired(List<RenewalTicket> tickets)
    {
        var now = Stopwatch.GetTimestamp();
        var live = new List<RenewalTicket>(tickets.Count);
        var riding = 0;
        foreach (var ticket in tickets)
        {
            if (now < ticket.Holding.ValidUntil)
            {
                live.Add(ticket);
            }
            else if (Rides(ticket.Holding, now))
            {
                ticket.Holding.StartRiding();
                live.Add(ticket);
                riding++;
            }
            else
            {
                ticket.Lease.Expired(ticket);
            }
        }
        if (riding > 0)
        {
            SayRiding(riding);
        }
        return live;
    }

    private void RenewRound(List<RenewalTicket> tickets, CancellationToken stopping)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // A ridden-out lease has no validity left to wait for: its round is tried again every interval instead.
        var deadline = Stopwatch.GetElapsedTime(startedAt, tickets.Min(t => t.Holding.Riding ? startedAt + RidingRoundTicks : t.Holding.ValidUntil));
        HashSet<(string Name, string Holder)> renewed;
        Volatile.Write(ref _roundSentAt, startedAt);
        try
        {
            renewed = Renew(tickets, deadline);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Unanswered(startedAt);
            Volatile.Write(ref _roundSentAt, 0);
            // Each lease stays held until its own validity runs out; the next round (or DropExpired) decides.
            _log.Warning("Renewing {0} lease(s) on {1} failed after {2:F0} ms: {3}", tickets.Count, Database,
                Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, e.Message);
            return;
        }
        foreach (var ticket in tickets)
        {
            if (renewed.Contains((ticket.Name, ticket.Holder)))
            {
                ticket.Lease.Renewed(ticket, startedAt);
            }
            else
            {
                ticket.Lease.Refused(ticket);
            }
        }
        Answered(startedAt); // after the leases were extended: a lease ridden out stays held without a gap
        Volatile.Write(ref _roundSentAt, 0);
    }

    /// <summary>How long a renewal round of ridden-out leases waits for the database before the next one tries again.</summary>
    private static readonly long RidingRoundTicks = Stopwatch.Frequency * 2;

    /// <summary>One renewal statement, synchronously, given up after <paramref name="deadline"/> rounded up to a whole second.</summary>
    private HashSet<(string Name, string Holder)> Renew(List<RenewalTicket> tickets, TimeSpan deadline)
    {
        using var connection = _renewalSource.OpenConnection();
        using var command = new NpgsqlCommand(RenewSql, connection);
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(deadline.TotalSeconds));
        command.Parameters.AddWithValue("names", tickets.Select(t => t.Name).ToArray());
        command.Parameters.AddWithValue("holders", tickets.Select(t => t.Holder).ToArray());
        command.Parameters.AddWithValue("versions", tickets.Select(t => t.Holding.Version).ToArray());
        command.Parameters.AddWithValue("ttls", tickets.Select(t => t.Ttl).ToArray());
        command.Parameters.AddWithValue("riding", tickets.Select(t => t.Holding.Riding).ToArray());
        var renewed = new HashSet<(string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            renewed.Add((reader.GetString(0), reader.GetString(1)));
        }
        return renewed;
    }

    /// <summary>The shortest heartbeat interval among the held leases, or sooner if a local validity runs out before it.</summary>
    private TimeSpan NextRound()
    {
        var tickets = Tickets();
        if (tickets.Count == 0)
        {
            return Timeout.InfiniteTimeSpan;
        }
        var now = Stopwatch.GetTimestamp();
        var interval = tickets.Min(t => t.Interval);
        var expiry = Stopwatch.GetElapsedTime(now, tickets.Min(t => t.Holding.Riding ? long.MaxValue : t.Holding.ValidUntil));
        return TimeSpan.FromTicks(Math.Max(0, Math.Min(interval.Ticks, expiry.Ticks)));
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }
}
