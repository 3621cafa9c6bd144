using System.Diagnostics;
using Akka.Event;
using Npgsql;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// Renewal: one loop per store. Each round renews every held lease with one statement and gives up at the earliest
/// local validity among them (always shorter than the TTL); a lease absent from the result was taken or deleted, and
/// a lease whose local validity ran out before a renewal succeeded counts as lost. The loop sleeps the shortest
/// heartbeat interval, or less when a validity is about to run out, and not at all while nothing is held.
/// </summary>
internal sealed partial class PostgresLeaseStore
{
    /// <summary>Matches our rows by holder and version, and never revives one the database already counts as expired.</summary>
    private const string RenewSql = """
        UPDATE akka_lease AS l SET expires_at = now() + h.ttl
        FROM unnest(@names, @holders, @versions, @ttls) AS h(name, holder, version, ttl)
        WHERE l.name = h.name AND l.holder = h.holder AND l.version = h.version AND l.expires_at > now()
        RETURNING l.name, l.holder
        """;

    private readonly Lock _gate = new();
    private readonly List<IRenewedLease> _leases = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _renewals;
    private bool _idle;
    private TaskCompletionSource? _resume;
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
            _resume ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _parked ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Wake();
            return _parked.Task;
        }
    }

    internal void ResumeRenewals()
    {
        TaskCompletionSource? resume;
        lock (_gate)
        {
            resume = _resume;
            _resume = null;
            _parked = null;
        }
        resume?.TrySetResult();
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ParkWhileSuspendedAsync(stopping).ConfigureAwait(false);
                var tickets = Tickets();
                if (tickets.Count == 0)
                {
                    // Until a lease is held; its first renewal is then a heartbeat interval away, like every other.
                    await _wake.WaitAsync(stopping).ConfigureAwait(false);
                }
                else if (DropExpired(tickets) is { Count: > 0 } live)
                {
                    await RenewRoundAsync(live, stopping).ConfigureAwait(false);
                }
                await _wake.WaitAsync(NextRound(), stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return; // the actor system is terminating: whatever was in flight no longer matters
            }
            catch (Exception e)
            {
                _log.Error(e, "Lease renewal on {0} failed unexpectedly; renewing again in a moment", Database);
                await Task.Delay(TimeSpan.FromMilliseconds(100), stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task ParkWhileSuspendedAsync(CancellationToken stopping)
    {
        TaskCompletionSource? resume, parked;
        lock (_gate)
        {
            (resume, parked) = (_resume, _parked);
        }
        if (resume is not null)
        {
            parked?.TrySetResult();
            await resume.Task.WaitAsync(stopping).ConfigureAwait(false);
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

    /// <summary>Declares lost the leases whose local validity ran out without a renewal; returns the others.</summary>
    private static List<RenewalTicket> DropExpired(List<RenewalTicket> tickets)
    {
        var now = Stopwatch.GetTimestamp();
        var live = new List<RenewalTicket>(tickets.Count);
        foreach (var ticket in tickets)
        {
            if (now >= ticket.Holding.ValidUntil)
            {
                ticket.Lease.Expired(ticket);
            }
            else
            {
                live.Add(ticket);
            }
        }
        return live;
    }

    private async Task RenewRoundAsync(List<RenewalTicket> tickets, CancellationToken stopping)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetElapsedTime(startedAt, tickets.Min(t => t.Holding.ValidUntil));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cancellation.CancelAfter(TimeSpan.FromTicks(Math.Max(0, deadline.Ticks)));
        HashSet<(string Name, string Holder)> renewed;
        try
        {
            renewed = await BeforeAsync(token => RenewAsync(tickets, token), cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // Each lease stays held until its own validity runs out; the next round (or DropExpired) decides.
            _log.Warning("Renewing {0} lease(s) on {1} failed: {2}", tickets.Count, Database,
                e is TimeoutException ? $"no answer within {deadline.TotalMilliseconds:F0} ms" : e.Message);
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
    }

    private async Task<HashSet<(string Name, string Holder)>> RenewAsync(List<RenewalTicket> tickets, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(RenewSql, connection);
        command.Parameters.AddWithValue("names", tickets.Select(t => t.Name).ToArray());
        command.Parameters.AddWithValue("holders", tickets.Select(t => t.Holder).ToArray());
        command.Parameters.AddWithValue("versions", tickets.Select(t => t.Holding.Version).ToArray());
        command.Parameters.AddWithValue("ttls", tickets.Select(t => t.Ttl).ToArray());
        var renewed = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
        var expiry = Stopwatch.GetElapsedTime(now, tickets.Min(t => t.Holding.ValidUntil));
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
