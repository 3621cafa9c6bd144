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
}
