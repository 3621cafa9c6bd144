using System.Collections.Concurrent;
using System.Globalization;
using ActorRecorder.Host.Leases;
using ActorRecorder.Host.Tests.Clustering;
using ActorRecorder.Media.Processes;
using Akka.Actor;
using Akka.Coordination;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>
/// A node's watchdog (the real <c>actorrecorder watchdog</c>) releases the node's leases in PostgreSQL once the node is
/// gone and the recordings it killed are gone, and never while the node is only silent. The leases here last a minute,
/// so a lease another owner takes within a spec was released, not expired; <c>sleep</c> stands in for a recording.
/// </summary>
public sealed class WatchdogLeaseReleaseSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _log = new();
    private LeaseNodes? _nodes;

    private LeaseNodes Nodes => _nodes ?? throw new InvalidOperationException("the database is not created");

    public async Task InitializeAsync() => _nodes = await LeaseNodes.CreateAsync("lease-release", Ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task A_dead_nodes_leases_must_be_released_once_its_recordings_are_gone_and_no_one_elses()
    {
        var dying = StartNode();
        var survivor = StartNode();
        var shard1 = (PostgresLease)LeaseOn(dying, "shard-1", "127.0.0.1:4053");
        var shard2 = (PostgresLease)LeaseOn(dying, "shard-2", "127.0.0.1:4053");
        var other = (PostgresLease)LeaseOn(survivor, "shard-3", "127.0.0.1:4054");
        Assert.True(await shard1.Acquire() && await shard2.Acquire() && await other.Acquire(), "the three acquires");
        Assert.Equal(PostgresLease.HolderOf(dying).Split('#')[1], shard1.Owner.Split('#')[1]);

        var watchdog = StartWatchdog(TimeProvider.System, TimeSpan.FromMinutes(5));
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(recording.Pid);
        watchdog.LeasesHeldAs(shard1.Owner);
        watchdog.LeasesHeldAs("127.0.0.1:4053#1"); // an earlier incarnation of the node, gone: nothing of it is left
        await WaitForLogAsync(l => l == $"watching pid {recording.Pid} (sleep)", "registration");
        Assert.False(await LeaseOn(StartNode(), "shard-1", "127.0.0.1:4055").Acquire(), "another node's acquire while the node lives");

        await watchdog.DisposeAsync(); // the end of its input: what the node's death looks like to it

        await recording.Completion.WaitAsync(Patience); // killed, and gone before the release (the watchdog waited for it)
        var newcomer = StartNode();
        Assert.True(await LeaseOn(newcomer, "shard-1", "127.0.0.1:4055").Acquire(), "shard-1 is free at once, a minute before its ttl");
        Assert.True(await LeaseOn(newcomer, "shard-2", "127.0.0.1:4055").Acquire(), "shard-2 is free at once");
        Assert.False(await LeaseOn(newcomer, "shard-3", "127.0.0.1:4055").Acquire(), "the survivor's lease is not touched");
        Assert.True(other.CheckLease(), "the survivor still holds its lease");
        Assert.Contains($"released 2 lease(s) of {shard1.Owner}, 127.0.0.1:4053#1: the node and its recordings are gone, so other nodes may take its channels now", _log);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_silent_nodes_leases_must_stay_until_it_is_gone()
    {
        var frozen = StartNode();
        var shard = (PostgresLease)LeaseOn(frozen, "shard-1", "127.0.0.1:4053");
        Assert.True(await shard.Acquire(), "acquire");

        // The heartbeats come from a clock that never moves: the node is silent from the start.
        var watchdog = StartWatchdog(new FakeTimeProvider(), TimeSpan.FromSeconds(1));
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        watchdog.Watch(recording.Pid);
        watchdog.LeasesHeldAs(shard.Owner);
        await WaitForLogAsync(l => l == $"killed pid {recording.Pid} (sleep): the node is silent", "the silent node's recording killed");

        Assert.Equal(1, await CountRowsAsync(shard.Owner));
        Assert.False(await LeaseOn(StartNode(), "shard-1", "127.0.0.1:4055").Acquire(), "a silent node may thaw: its lease stays");

        await watchdog.DisposeAsync();

        Assert.Equal(0, await CountRowsAsync(shard.Owner));
    }

    private RecorderWatchdog StartWatchdog(TimeProvider time, TimeSpan timeout) => RecorderWatchdog.Start(
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
        [ClusterScene.CliPath, "watchdog", "--timeout", timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms"],
        _log.Enqueue, heartbeat: TimeSpan.FromMilliseconds(200), time: time,
        environment: new Dictionary<string, string?> { ["ACTORRECORDER_WATCHDOG_LEASE_DATABASE"] = Nodes.Database.ConnectionString });

    private async Task WaitForLogAsync(Func<string, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!_log.Any(match))
        {
            Assert.False(deadline.IsCancellationRequested, $"{what}: no such log line in {Patience.TotalSeconds} s; the log: {string.Join(" | ", _log)}");
            await Task.Delay(20);
        }
    }

    private async Task<long> CountRowsAsync(string holder)
    {
        await using var connection = new NpgsqlConnection(Nodes.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM akka_lease WHERE holder = @holder", connection);
        command.Parameters.AddWithValue("holder", holder);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private ActorSystem StartNode() => Nodes.StartNode();

    private static Lease LeaseOn(ActorSystem system, string name, string owner) => LeaseNodes.LeaseOn(system, name, owner);
}
