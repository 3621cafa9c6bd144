using ActorRecorder.ClusterLab;
using Akka.Configuration;
using Akka.Coordination;
using ActorRecorder.Host.Leases;
using ActorRecorder.Host.Tests.Support;
using Npgsql;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>
/// The lease contract on PostgreSQL: a fresh database per test, reached through a <see cref="TcpRelay"/> so the
/// backend can be cut off; the lease's block is the one <see cref="PostgresLeaseOption"/> adds to a host.
/// </summary>
public sealed class PostgresLeaseSpecs : LeaseSpecs
{
    private PostgresDatabase? _database;
    private TcpRelay? _relay;

    private PostgresDatabase Database => _database ?? throw new InvalidOperationException("the database is not created");

    private TcpRelay Relay => _relay ?? throw new InvalidOperationException("the relay is not started");

    protected override string ConfigPath => PostgresLeaseConfig.DefaultPath;

    public override async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _relay = TcpRelay.Start(server.Host!, server.Port);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Config LeaseConfig()
    {
        var relayed = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port }.ToString();
        return new PostgresLeaseOption(relayed, Ttl, Interval, OperationTimeout).ToConfig();
    }

    protected override async Task TakeBehindItsBackAsync(string leaseName, string otherOwner)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE akka_lease SET holder = @holder, version = nextval('akka_lease_version'), expires_at = now() + interval '1 hour' WHERE name = @name",
            connection);
        command.Parameters.AddWithValue("holder", otherOwner);
        command.Parameters.AddWithValue("name", leaseName);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    protected override Task FreezeAsync(Lease lease) => ((PostgresLease)lease).Store.SuspendRenewalsAsync();

    protected override void Thaw(Lease lease) => ((PostgresLease)lease).Store.ResumeRenewals();

    protected override void CutOffBackend() => Relay.Cut();

    [Fact(Timeout = 30_000)]
    public async Task Acquires_must_back_off_while_the_database_does_not_answer_and_go_through_once_it_does()
    {
        var first = LeaseOf("node-a", "actorrecorder-shard-channel-1");
        CutOffBackend();
        await Assert.ThrowsAsync<LeaseTimeoutException>(() => first.Acquire()); // the node learns that the database does not answer

        // Two more shards of the node retry at once: at most one goes to the database (after the back-off), the other
        // is refused on the spot, saying why.
        var retries = await Task.WhenAll(new[] { "actorrecorder-shard-channel-2", "actorrecorder-shard-channel-3" }.Select(async name =>
        {
            try
            {
                return await LeaseOf("node-a", name).Acquire() ? "acquired" : "refused";
            }
            catch (LeaseException e)
            {
                return e.Message;
            }
        }));
        Assert.Contains(retries, r => r.Contains("acquires back off", StringComparison.Ordinal));
        Assert.Contains(((PostgresLease)first).Store.Database, retries.First(r => r.Contains("acquires back off", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The database answers again: an acquire gets through once the back-off has passed, and then every one does.
        Relay.Restore();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.True(await first.Acquire(), "acquire once the database answers again");
                break;
            }
            catch (LeaseException) when (watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(200); // backing off (at most 8 s), or a try that went out on a connection held while cut
            }
        }
        Assert.True(await LeaseOf("node-a", "actorrecorder-shard-channel-2").Acquire(), "another shard's acquire right after");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_lease_must_be_ridden_out_through_an_outage_while_the_cluster_is_whole_and_renewed_once_the_database_answers()
    {
        var (lease, lost) = await RiddenOutAsync(TimeSpan.FromSeconds(30), () => true);
        Assert.True(lease.CheckLease(), "CheckLease while ridden out");
        Assert.Equal(1, lease.Store.RiddenOut); // the node's lease_ridden_out gauge
        Assert.False(lost.IsCompleted, "the lost callback ran while the lease was ridden out");

        Relay.Restore();
        await UntilAsync(() => !lease.RidingOut, "a renewal once the database answers again");
        Assert.True(lease.CheckLease(), "CheckLease once renewed");
        Assert.Equal(0, lease.Store.RiddenOut);
        Assert.False(lost.IsCompleted, "the lost callback ran although the lease was renewed");
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT expires_at > now() FROM akka_lease WHERE name = 'actorrecorder-shard-channel-7'", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!, "the row is live again in the database");
        Assert.False(await LeaseOf("node-b").Acquire(), "another owner's acquire of the renewed lease");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_ridden_out_lease_must_be_lost_at_once_when_the_cluster_stops_being_whole_and_then_be_free_for_another_owner()
    {
        var whole = true;
        var (lease, lost) = await RiddenOutAsync(TimeSpan.FromSeconds(30), () => Volatile.Read(ref whole));
        Volatile.Write(ref whole, false); // a member unreachable: this node may be on the side that gets downed
        Assert.False(await lost.WaitAsync(TimeSpan.FromSeconds(15)), "CheckLease when the lost callback ran");
        Assert.False(lease.CheckLease());

        Relay.Restore();
        Assert.True(await AcquireOnceExpiredAsync(LeaseOf("node-b")), "another owner's acquire of the lapsed lease");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_lease_must_be_lost_once_the_outage_outlasts_the_ride_out()
    {
        var (lease, lost) = await RiddenOutAsync(TimeSpan.FromSeconds(2), () => true);
        Assert.False(await lost.WaitAsync(TimeSpan.FromSeconds(15)), "CheckLease when the lost callback ran");
        Assert.False(lease.CheckLease());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_lease_that_lapsed_while_its_process_was_frozen_must_not_be_ridden_out_when_it_thaws()
    {
        var (lease, lost) = await RiddenOutAsync(TimeSpan.FromSeconds(30), () => true);

        // Frozen through an outage: the peers may have downed it and, once the database came back, taken its leases.
        await FreezeAsync(lease);
        await Task.Delay(TimeSpan.FromSeconds(2)); // longer than a whole-cluster verdict lasts (1.5 s): real time is the point
        Assert.False(lease.CheckLease(), "CheckLease of a frozen node's lapsed lease");
        Thaw(lease);
        Assert.False(await lost.WaitAsync(TimeSpan.FromSeconds(15)), "CheckLease when the lost callback ran");
        Relay.Restore();
    }

    /// <summary>
    /// Node A's lease, held with ride-out <paramref name="rideOut"/> while <paramref name="whole"/>, through a database
    /// restart (connections reset, new ones refused) until it is held past its validity; and what CheckLease said when
    /// its lost callback ran.
    /// </summary>
    private async Task<(PostgresLease Lease, Task<bool> Lost)> RiddenOutAsync(TimeSpan rideOut, Func<bool> whole)
    {
        var lease = (PostgresLease)LeaseOf("node-a");
        var lost = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(await lease.Acquire(_ => lost.TrySetResult(lease.CheckLease())));
        lease.Store.RideOutWhile(rideOut, whole);
        Relay.Stop();
        await UntilAsync(() => lease.RidingOut, "the lease to be held past its validity");
        return (lease, lost.Task);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        // Polls a local flag; the bound only ends a spec that would otherwise hang (the ttl is 5 s).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Acquires once the database answers and the row has expired there (the ttl after the holder's last renewal): a try may
    /// meet the acquire back-off or a connection reset while it was down, or find the row not yet expired.
    /// </summary>
    private static async Task<bool> AcquireOnceExpiredAsync(Akka.Coordination.Lease lease)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await lease.Acquire() || watch.Elapsed > TimeSpan.FromSeconds(20))
                {
                    return lease.CheckLease();
                }
            }
            catch (Akka.Coordination.LeaseException) when (watch.Elapsed < TimeSpan.FromSeconds(20))
            {
            }
            await Task.Delay(200);
        }
    }
}
