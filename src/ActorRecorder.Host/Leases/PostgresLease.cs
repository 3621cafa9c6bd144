using System.Diagnostics;
using Akka.Actor;
using Akka.Coordination;
using Akka.Event;
using Akka.Remote;
using Npgsql;
using ActorRecorder.Host.Leases.Internal;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// An Akka.Coordination lease held as a row of the <c>akka_lease</c> table in the cluster's PostgreSQL database
/// (<c>name, holder, version, expires_at</c>; created if missing). Akka creates it through
/// <c>LeaseProvider.GetLease(name, configPath, owner)</c>, from the block <see cref="PostgresLeaseConfig.Create"/> writes.
/// </summary>
/// <remarks>
/// <para>
/// Atomicity: <see cref="Acquire()"/> is one upsert that takes the row if it is free, expired or already this owner's,
/// writes a new version and <c>expires_at = now() + heartbeat-timeout</c>; expiry is judged by the database's clock.
/// While held, the lease is renewed every heartbeat-interval, together with every other lease of the actor system on
/// the same database, by one statement that matches holder and version.
/// </para>
/// <para>
/// The fence — what the rest of the system relies on: <see cref="CheckLease"/> is local and synchronous. It answers
/// true only while the lease is held and this process's monotonic clock is before (start of the last successful
/// acquire or renewal round trip + heartbeat-timeout − safety-margin). That start precedes the database's now() that
/// set the row's expiry, so whenever CheckLease is true the row is still ours by the database's clock, and no other
/// owner can have taken it. A process frozen (SIGSTOP, a long GC pause, a suspended VM) past its TTL sees false the
/// moment it thaws, before any renewal runs.
/// </para>
/// <para>
/// Clocks: expiry is judged by PostgreSQL's <c>now()</c> alone (the time its transaction started), so the nodes' wall
/// clocks never matter and may be skewed at will; each node's fence runs on its own monotonic clock from a point
/// before that now(). What is assumed: the database's clock and each node's monotonic clock run at nearly the same
/// rate — they may drift apart by less than safety-margin over one TTL (a tenth of it by default: 0.4 s in 4 s,
/// about 10 %, far beyond any real oscillator), and the database's clock does not jump forward while a lease is held
/// (a step of the server's clock forward by more than the margin expires every lease early; NTP slews rather than
/// steps once synchronised).
/// </para>
/// <para>
/// Identity: the holder is the node's address and its incarnation (<see cref="Owner"/>). Renewals run on a thread of
/// their own with synchronous calls (PostgresLeaseStore.Renewal.cs), so a starved thread pool does not lose leases.
/// </para>
/// <para>
/// Death: a node's watchdog process, once the node is dead and its recordings are gone, deletes every row of the node's
/// holders (<see cref="ReleaseAllOfAsync"/>), so its channels move without waiting for the TTL (WatchdogCommand).
/// </para>
/// <para>
/// Outages: while PostgreSQL answers no member and the cluster stays whole, a lease whose validity runs out is held on for
/// ride-out (CheckLease stays true, renewals go on; see PostgresLeaseStore.RideOut.cs for why nobody else can take it).
/// </para>
/// <para>
/// Failure: a renewal gives up when the earliest local validity in its round runs out (always before the TTL). The
/// lease is lost when a renewal finds its row taken, deleted or expired, or when no renewal succeeded before its local
/// validity ran out (PostgreSQL unreachable or slow, or the process paused): the lost callback is called once,
/// CheckLease turns false and renewal stops. <see cref="Acquire()"/> and <see cref="Release"/> fail with a
/// <see cref="LeaseTimeoutException"/> after lease-operation-timeout (the outcome is then unknown: a row we may have
/// written expires after the TTL), and with a <see cref="LeaseException"/> on any other database error.
/// </para>
/// </remarks>
public sealed class PostgresLease : Lease, IRenewedLease
{
    private readonly PostgresLeaseSettings _settings;
    private readonly PostgresLeaseStore _store;
    private readonly ILoggingAdapter _log;
    private readonly long _validityTicks;
    private readonly SemaphoreSlim _operations = new(1, 1);
    private readonly Lock _gate = new();
    private LeaseHolding? _holding;

    /// <summary>The version of the row this owner last wrote; 0 when it has written none (or released it).</summary>
    private long _lastVersion;

    /// <summary>Counts the starts and ends of acquires: odd while one is in flight. A renewal round that overlapped an
    /// acquire may have sent the version the acquire was replacing, so its refusal proves nothing.</summary>
    private long _writes;

    /// <summary>Called by Akka's LeaseProvider through the lease-class key.</summary>
    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system) : base(settings)
    {
        _settings = PostgresLeaseSettings.Create(settings);
        _store = PostgresLeaseStores.Get(system).For(_settings.ConnectionString);
        _log = Logging.GetLogger(system, typeof(PostgresLease));
        _validityTicks = (long)(_settings.LocalValidity.TotalSeconds * Stopwatch.Frequency);
        Owner = $"{settings.OwnerName}#{AddressUidExtension.Uid(system)}";
        _store.Register(this);
    }

    internal PostgresLeaseStore Store => _store;

    /// <summary>Whether it is held past its validity through a database outage (for the specs).</summary>
    internal bool RidingOut => Volatile.Read(ref _holding) is { Riding: true };

    private string Name => Settings.LeaseName;

    /// <summary>
    /// The holder written to the row: Akka's owner name (the node's host:port) and the incarnation of this actor system
    /// (its remoting uid, the one in the node's cluster UniqueAddress). A node restarted at the same address is another
    /// owner, so it cannot re-acquire, as "already its own", a lease its frozen or dying predecessor still believes it
    /// holds: it waits for the row to expire (or be released) like any other node.
    /// </summary>
    internal string Owner { get; }

    /// <summary>
    /// The holder every lease of <paramref name="system"/> writes: sharding, singletons and the split-brain resolver all
    /// name their owner by the node's address (host:port), and the lease adds the incarnation.
    /// </summary>
    public static string HolderOf(ActorSystem system) =>
        $"{((ExtendedActorSystem)system).Provider.DefaultAddress.HostPort()}#{AddressUidExtension.Uid(system)}";

    /// <summary>
    /// Deletes every lease row held by <paramref name="holders"/>, whatever its version or expiry: for a node's watchdog,
    /// once the node is dead and every recording it had is gone (nothing of those incarnations can act under their
    /// leases any more), so that other nodes take the channels at once instead of after the ttl.
    /// </summary>
    /// <returns>How many rows it deleted (0 when the table does not exist yet).</returns>
    public static async Task<int> ReleaseAllOfAsync(string connectionString, IReadOnlyCollection<string> holders, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM akka_lease WHERE holder = ANY(@holders)", connection);
        command.Parameters.AddWithValue("holders", holders.ToArray());
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public override Task<bool> Acquire() => Acquire(null);

    /// <summary>
    /// Takes the lease if it is free, expired or already this owner's (then it is renewed and a new tenure begins).
    /// <paramref name="leaseLostCallback"/> is called once if the lease is later lost.
    /// </summary>
    /// <returns>True when this owner holds the lease; false when another owner does.</returns>
    public override async Task<bool> Acquire(Action<Exception>? leaseLostCallback)
    {
        if (!_store.TryStartAcquire(out var probe))
        {
            throw new LeaseException($"Lease [{Name}] of [{Owner}]: PostgreSQL on {_store.Database} has not answered this node for "
                + $"{_store.UnreachableFor.TotalSeconds:0.0} s; acquires back off until it does");
        }
        try
        {
            return await AcquireNowAsync(leaseLostCallback).ConfigureAwait(false);
        }
        finally
        {
            if (probe)
            {
                _store.EndProbe();
            }
        }
    }

    private async Task<bool> AcquireNowAsync(Action<Exception>? leaseLostCallback)
    {
        using var deadline = new CancellationTokenSource(_settings.Timeouts.OperationTimeout);
        return await SerializedAsync("acquire", deadline.Token, async () =>
        {
            lock (_gate)
            {
                _writes++;
            }
            long? version;
            long startedAt;
            try
            {
                (version, startedAt) = await PostgresLeaseStore.BeforeAsync(
                    token => _store.TryAcquireAsync(Name, Owner, _settings.Timeouts.HeartbeatTimeout, token), deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                lock (_gate)
                {
                    _writes++;
                }
                throw;
            }
            LeaseHolding? lost;
            lock (_gate)
            {
                _writes++; // in the same lock as the new holding: a round must not see the acquire over and the old holding
                lost = version is null ? _holding : null;
                _holding = version is { } acquired
                    ? new LeaseHolding(acquired, startedAt + _validityTicks, leaseLostCallback ?? _holding?.OnLost)
                    : null;
                _lastVersion = version ?? _lastVersion;
            }
            if (version is null)
            {
                if (lost is not null)
                {
                    Announce(lost, "another owner holds it");
                }
                return false;
            }
            _store.Held();
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops renewing at once (CheckLease turns false) and deletes the row if it is still the one this owner wrote
    /// — also after a loss the database has not yet seen, so another owner need not wait for the TTL.
    /// </summary>
    /// <returns>True when this owner's row was deleted; false when this owner did not hold the lease.</returns>
    public override async Task<bool> Release()
    {
        using var deadline = new CancellationTokenSource(_settings.Timeouts.OperationTimeout);
        return await SerializedAsync("release", deadline.Token, async () =>
        {
            long version;
            lock (_gate)
            {
                _holding = null;
                version = _lastVersion;
            }
            if (version == 0)
            {
                return false;
            }
            var deleted = await PostgresLeaseStore.BeforeAsync(
                token => _store.ReleaseAsync(Name, Owner, version, token), deadline.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _lastVersion = _lastVersion == version ? 0 : _lastVersion;
            }
            return deleted;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// True only while held and before the local validity runs out, or while ridden out through a database outage (see
    /// the class remarks): no I/O, no waiting.
    /// </summary>
    public override bool CheckLease()
    {
        if (Volatile.Read(ref _holding) is not { } holding)
        {
            return false;
        }
        var now = Stopwatch.GetTimestamp();
        return now < holding.ValidUntil || _store.Rides(holding, now);
    }

    RenewalTicket? IRenewedLease.Ticket()
    {
        lock (_gate)
        {
            return _holding is { } holding
                ? new RenewalTicket(this, holding, _writes, Name, Owner, _settings.Timeouts.HeartbeatTimeout, _settings.Timeouts.HeartbeatInterval)
                : null;
        }
    }

    void IRenewedLease.Renewed(RenewalTicket ticket, long startedAt) => ticket.Holding.Extend(startedAt + _validityTicks);

    void IRenewedLease.Expired(RenewalTicket ticket) => Lose(ticket, overlappedAcquireCounts: false, ticket.Holding.Riding
        ? "held through a database outage, it is given up: the outage outlasted ride-out, the cluster stopped being whole, or this node gave its channels up"
        : "no renewal succeeded before its local validity ran out (PostgreSQL unreachable or too slow, or this process was paused)");

    void IRenewedLease.Refused(RenewalTicket ticket) => Lose(ticket, overlappedAcquireCounts: true,
        "its row was taken by another owner, deleted, or had already expired in the database");

    private void Lose(RenewalTicket ticket, bool overlappedAcquireCounts, string reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_holding, ticket.Holding))
            {
                return; // released, lost already, or acquired anew since the round began
            }
            if (overlappedAcquireCounts && (ticket.Writes % 2 == 1 || ticket.Writes != _writes))
            {
                return; // the acquire decides; if the row is really gone, the next round finds out
            }
            _holding = null;
        }
        Announce(ticket.Holding, reason);
    }

    public override string ToString() => $"PostgresLease({Name}, {Owner}, {_store.Database})";

    /// <summary>One acquire or release at a time per lease, so versions are applied in the order they were written.</summary>
    private async Task<bool> SerializedAsync(string operation, CancellationToken deadline, Func<Task<bool>> body)
    {
        try
        {
            await _operations.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw TimedOut(operation, e);
        }
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            var result = await body().ConfigureAwait(false);
            _store.Answered(sentAt);
            return result;
        }
        catch (TimeoutException e)
        {
            _store.Unanswered(sentAt);
            throw TimedOut(operation, e);
        }
        catch (Exception e) when (e is not LeaseException)
        {
            _store.Unanswered(sentAt);
            throw new LeaseException($"Lease [{Name}] of [{Owner}]: {operation} failed on {_store.Database}: {e.Message}", e);
        }
        finally
        {
            _operations.Release();
        }
    }

    private LeaseTimeoutException TimedOut(string operation, Exception cause) =>
        new($"Lease [{Name}] of [{Owner}]: {operation} did not complete within lease-operation-timeout "
            + $"({_settings.Timeouts.OperationTimeout}) on {_store.Database}; whether it took effect is unknown", cause);

    private void Announce(LeaseHolding holding, string reason)
    {
        _log.Warning("Lease [{0}] of [{1}] lost: {2}", Name, Owner, reason);
        try
        {
            holding.OnLost?.Invoke(new LeaseException($"Lease [{Name}] of [{Owner}] lost: {reason}"));
        }
        catch (Exception e)
        {
            _log.Error(e, "The lost callback of lease [{0}] of [{1}] threw", Name, Owner);
        }
    }
}
