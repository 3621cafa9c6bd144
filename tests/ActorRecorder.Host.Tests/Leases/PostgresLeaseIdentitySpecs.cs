using System.Diagnostics;
using ActorRecorder.Host.Leases;
using Akka.Actor;
using Akka.Coordination;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>Runs alone: one case starves the process's thread pool on purpose, which would slow every case beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeaseStarvationCollection
{
    public const string Name = "lease starvation";
}

/// <summary>
/// Who holds a PostgreSQL lease, and that holding it does not depend on the thread pool: the holder is the node's
/// address and its incarnation, and renewals run on a thread of their own. With the cluster's TTL (4 s renewed every
/// 1 s), on a fresh database.
/// </summary>
[Collection(LeaseStarvationCollection.Name)]
public sealed class PostgresLeaseIdentitySpecs : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);

    /// <summary>What sharding passes as the owner: the node's host:port, the same for every incarnation at that address.</summary>
    private const string NodeAddress = "127.0.0.1:4053";
    private const string LeaseName = "actorrecorder-shard-channel-3";

    private LeaseNodes? _nodes;

    private LeaseNodes Nodes => _nodes ?? throw new InvalidOperationException("the database is not created");

    public async Task InitializeAsync() => _nodes = await LeaseNodes.CreateAsync("lease-identity", Ttl, Interval, OperationTimeout);

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_incarnation_at_the_same_address_must_not_take_the_lease_its_frozen_predecessor_holds()
    {
        var frozen = (PostgresLease)LeaseOn(StartNode());
        Assert.True(await frozen.Acquire(), "the first incarnation's acquire");
        await frozen.Store.SuspendRenewalsAsync(); // SIGSTOPped: it still believes it holds the lease

        var reborn = (PostgresLease)LeaseOn(StartNode());

        Assert.NotEqual(frozen.Owner, reborn.Owner);
        Assert.StartsWith(NodeAddress + "#", reborn.Owner, StringComparison.Ordinal);
        Assert.False(await reborn.Acquire(), "the new incarnation's acquire while its predecessor's row is valid");
        Assert.True(frozen.CheckLease(), "the frozen predecessor's CheckLease: within its TTL it may still act");

        // Once the row expires the newcomer gets it like any other node, and the predecessor's fence is already down.
        var waited = Stopwatch.StartNew();
        while (!await reborn.Acquire())
        {
            Assert.True(waited.Elapsed < Ttl + TimeSpan.FromSeconds(20), $"still refused {waited.Elapsed.TotalSeconds:F1} s after the freeze");
            await Task.Delay(Interval / 2);
        }
        Assert.False(frozen.CheckLease(), "the predecessor's CheckLease once the new incarnation holds the lease");
        frozen.Store.ResumeRenewals();
    }

    [Fact(Timeout = 90_000)]
    public async Task A_starved_thread_pool_must_not_lose_a_lease()
    {
        var lease = LeaseOn(StartNode());
        var lost = 0;
        Assert.True(await lease.Acquire(_ => Interlocked.Increment(ref lost)), "acquire");

        // Every pool thread, and every thread the pool adds meanwhile, blocks for three TTLs; a work item queued after
        // the blockers shows the starvation lasted the whole window. Holding the lease through it is the point, so the
        // window is real time; CheckLease is sampled from a thread of the test's own.
        var window = 3 * Ttl;
        var failures = new List<string>();
        var probeRan = false;
        var sampler = new Thread(() =>
        {
            var gate = new ManualResetEventSlim(false); // not disposed: blockers still queued wait on it after it is set
            using var never = new ManualResetEventSlim(false); // waited on for the sampling period: no pool thread needed
            for (var i = 0; i < 2000; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ => gate.Wait(), null);
            }
            ThreadPool.UnsafeQueueUserWorkItem(_ => Volatile.Write(ref probeRan, true), null);
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < window)
            {
                if (!lease.CheckLease() && failures.Count < 5)
                {
                    failures.Add($"CheckLease false {watch.Elapsed.TotalMilliseconds:F0} ms into the starvation");
                }
                never.Wait(100);
            }
            if (Volatile.Read(ref probeRan))
            {
                failures.Add("the thread pool was not starved for the whole window (a work item queued after the blockers ran)");
            }
            gate.Set();
        }) { IsBackground = true, Name = "starvation sampler" };
        sampler.Start();
        sampler.Join();

        Assert.Empty(failures);
        Assert.True(lease.CheckLease(), "CheckLease after the starvation");
        Assert.Equal(0, Volatile.Read(ref lost));
        Assert.False(await LeaseOn(StartNode(), "127.0.0.1:4054").Acquire(), "another node's acquire after the starvation");
    }

    private ActorSystem StartNode() => Nodes.StartNode();

    private static Lease LeaseOn(ActorSystem system, string owner = NodeAddress) => LeaseNodes.LeaseOn(system, LeaseName, owner);
}
