using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>
/// The contract of an Akka.Coordination lease as the cluster relies on it, run against every implementation (one
/// subclass each). Every owner is a node of its own (an actor system) and gets its lease from the node's
/// LeaseProvider with the implementation's HOCON, as sharding does; both nodes start before each case.
/// </summary>
/// <remarks>
/// A lease lives on the wall clock (renewals, the database's now()), so these cases do too, with margins a loaded machine
/// cannot eat: a TTL of 5 s renewed every 500 ms, so a holder loses its lease only if a renewal is more than 4 s late
/// (a 2-core machine running the whole suite next to a CPU hog delays one by well under a second); expiry and loss are
/// awaited with <see cref="Soon"/> to spare, and asserted by their cause (an exception, a callback, a refusal) rather than
/// by how long they took.
/// </remarks>
public abstract class LeaseSpecs : IAsyncLifetime
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    protected static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    protected static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Generous bound for an event that should come within a renewal round or two.</summary>
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private const string LeaseName = "actorrecorder-shard-channel-7";
    private static readonly string[] Owners = ["node-a", "node-b"];
    private readonly Dictionary<string, ActorSystem> _nodes = [];

    /// <summary>The config path the implementation's block is at.</summary>
    protected abstract string ConfigPath { get; }

    /// <summary>The implementation's block at <see cref="ConfigPath"/>, with <see cref="Ttl"/>, <see cref="Interval"/> and <see cref="OperationTimeout"/>.</summary>
    protected abstract Config LeaseConfig();

    /// <summary>Another owner takes the lease in the backing store behind the holder's back (an operator, a bug, a split brain).</summary>
    protected abstract Task TakeBehindItsBackAsync(string leaseName, string otherOwner);

    /// <summary>
    /// Stops the holder's renewals between two rounds, as a SIGSTOP would, and nothing else: the holder's clock runs on.
    /// </summary>
    protected abstract Task FreezeAsync(Lease lease);

    /// <summary>Lets the renewals of a frozen holder run again.</summary>
    protected abstract void Thaw(Lease lease);

    /// <summary>The backing store stops answering every node (a partition: connections hang, nothing is refused).</summary>
    protected abstract void CutOffBackend();

    /// <summary>Starts the nodes (actor system start-up blocks threads: not something to do while a lease is being renewed).</summary>
    public virtual Task InitializeAsync()
    {
        foreach (var owner in Owners)
        {
            _nodes[owner] = ActorSystem.Create(owner, LeaseConfig());
        }
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Task.WhenAll(_nodes.Values.Select(node => node.Terminate()));

    [Fact(Timeout = 30_000)]
    public async Task A_free_lease_must_be_granted_to_its_first_owner()
    {
        var lease = LeaseOf("node-a");

        Assert.True(await lease.Acquire(), "acquire of a free lease");
        Assert.True(lease.CheckLease(), "CheckLease right after acquire");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_held_lease_must_be_refused_to_a_second_owner()
    {
        var holder = LeaseOf("node-a");
        var other = LeaseOf("node-b");
        Assert.True(await holder.Acquire(), "first owner's acquire");

        Assert.False(await other.Acquire(), "second owner's acquire while the lease is held");
        Assert.False(other.CheckLease(), "second owner's CheckLease");
        Assert.True(holder.CheckLease(), "holder's CheckLease after the refusal");
    }

    [Fact(Timeout = 30_000)]
    public async Task Two_owners_acquiring_at_once_must_get_one_lease_between_them()
    {
        var leases = new[] { LeaseOf("node-a"), LeaseOf("node-b") };

        var granted = await Task.WhenAll(leases.Select(lease => lease.Acquire()));

        Assert.Equal(1, granted.Count(held => held));
        Assert.Equal(granted, leases.Select(lease => lease.CheckLease()));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_holder_acquiring_again_while_renewals_run_must_keep_the_lease()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "first acquire");

        // Acquiring again back to back for a few heartbeat intervals, so acquires overlap renewal rounds.
        var watch = Stopwatch.StartNew();
        for (var attempt = 2; watch.Elapsed < 3 * Interval; attempt++)
        {
            Assert.True(await holder.Acquire(lost.Callback), $"acquire number {attempt} by the holder");
            Assert.True(holder.CheckLease(), $"CheckLease after acquire number {attempt}");
        }
        Assert.False(await LeaseOf("node-b").Acquire(), "another owner's acquire");
        Assert.Equal(0, lost.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_renewed_lease_must_stay_held_past_several_TTLs()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "acquire");

        // Waiting out two TTLs is the point of this case; CheckLease is sampled all along, so a gap between renewals shows.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < 2 * Ttl)
        {
            Assert.True(holder.CheckLease(), $"CheckLease {watch.Elapsed.TotalMilliseconds:F0} ms after acquire");
            await Task.Delay(50);
        }

        Assert.False(await LeaseOf("node-b").Acquire(), "another owner's acquire after two TTLs");
        Assert.Equal(0, lost.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_lease_whose_holder_died_must_expire_after_its_TTL_and_then_go_to_another_owner()
    {
        var holder = LeaseOf("node-a");
        var other = LeaseOf("node-b");
        Assert.True(await holder.Acquire(), "acquire by the holder");

        // The holder's node dies: it stops renewing and never releases.
        await _nodes["node-a"].Terminate();
        var died = Stopwatch.StartNew();
        Assert.False(await other.Acquire(), "another owner's acquire right after the holder died");

        // Retrying as sharding does (every lease-retry-interval) until the row expires: waiting out the TTL is the point.
        while (!await other.Acquire())
        {
            Assert.True(died.Elapsed < Ttl + Soon, $"the lease was still refused {died.Elapsed.TotalMilliseconds:F0} ms after its holder died");
            await Task.Delay(Interval);
        }

        // The fence: by the time the row expired for the others, the old holder's own check had already turned false.
        Assert.False(holder.CheckLease(), "the dead holder's CheckLease once another owner got the lease");
        Assert.True(other.CheckLease(), "new owner's CheckLease");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_lease_taken_behind_its_holders_back_must_call_the_lost_callback_once_and_fail_CheckLease()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "acquire");

        await TakeBehindItsBackAsync(LeaseName, "intruder");

        var reason = await Within(lost.Reported, Soon, "the lost callback after the lease was taken");
        Assert.IsAssignableFrom<LeaseException>(reason);
        Assert.False(lost.CheckLeaseWhenReported, "CheckLease inside the lost callback");
        Assert.False(holder.CheckLease(), "CheckLease after the loss");
        // Nothing more may happen: let several renewal rounds pass.
        await Task.Delay(3 * Interval);
        Assert.Equal(1, lost.Calls);
        Assert.False(await holder.Acquire(), "the old holder's acquire while the intruder holds the lease");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_lease_must_be_lost_when_no_renewal_gets_through_before_its_validity_runs_out()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "acquire");

        CutOffBackend();

        await Within(lost.Reported, Ttl + Soon, "the lost callback after the backend was cut off");
        // The callback may come late on a starved machine; the fence never does: CheckLease was false before it ran.
        Assert.False(lost.CheckLeaseWhenReported, "CheckLease inside the lost callback");
        Assert.False(holder.CheckLease(), "CheckLease after the loss");
        Assert.Equal(1, lost.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task CheckLease_must_turn_false_when_a_frozen_holder_thaws_past_its_TTL_before_any_renewal_runs()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "acquire");

        await FreezeAsync(holder);
        Assert.True(holder.CheckLease(), "CheckLease as the freeze begins");
        // The freeze lasts one TTL: waiting it out is the point.
        await Task.Delay(Ttl);

        Assert.False(holder.CheckLease(), "CheckLease on thawing, before any renewal ran");
        Assert.Equal(0, lost.Calls); // the answer came from the local clock alone
        Thaw(holder);
        await Within(lost.Reported, Soon, "the lost callback after the thaw");
        Assert.False(holder.CheckLease(), "CheckLease once renewals ran again");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_released_lease_must_go_to_another_owner_at_once()
    {
        var holder = LeaseOf("node-a");
        var lost = new LostProbe(holder);
        Assert.True(await holder.Acquire(lost.Callback), "acquire");

        Assert.True(await holder.Release(), "release by the holder");

        Assert.False(holder.CheckLease(), "CheckLease after release");
        Assert.True(await LeaseOf("node-b").Acquire(), "another owner's acquire right after the release");
        Assert.Equal(0, lost.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Release_must_return_false_for_a_lease_not_held()
    {
        var holder = LeaseOf("node-a");
        var other = LeaseOf("node-b");

        Assert.False(await other.Release(), "release of a lease never acquired");
        Assert.True(await holder.Acquire(), "acquire");
        Assert.False(await other.Acquire(), "another owner's acquire");
        Assert.False(await other.Release(), "release by the owner that was refused");
        Assert.True(holder.CheckLease(), "holder's CheckLease after the other's release");
        Assert.True(await holder.Release(), "release by the holder");
        Assert.False(await holder.Release(), "second release by the holder");
    }

    [Fact(Timeout = 30_000)]
    public async Task Acquire_must_fail_within_the_operation_timeout_when_the_backend_does_not_answer()
    {
        var lease = LeaseOf("node-a");
        CutOffBackend();

        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<LeaseTimeoutException>(() => lease.Acquire());

        // It gave up on its own timeout (the exception says so), never before it; how much later is the machine's load.
        Assert.True(watch.Elapsed >= OperationTimeout - TimeSpan.FromMilliseconds(50), $"gave up after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains(LeaseName, failure.Message, StringComparison.Ordinal);
        Assert.False(lease.CheckLease(), "CheckLease after a failed acquire");
    }

    /// <summary>The lease <paramref name="owner"/> gets from its own node.</summary>
    protected Lease LeaseOf(string owner, string name = LeaseName) => LeaseProvider.Get(_nodes[owner]).GetLease(name, ConfigPath, owner);

    private static async Task<T> Within<T>(Task<T> task, TimeSpan timeout, string phase)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{phase}: nothing within {timeout.TotalSeconds:F1} s");
        }
    }

    /// <summary>Records the lost callback's calls, and what CheckLease said when it ran.</summary>
    private sealed class LostProbe(Lease lease)
    {
        private readonly TaskCompletionSource<Exception> _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task<Exception> Reported => _reported.Task;

        public int Calls => Volatile.Read(ref _calls);

        public bool? CheckLeaseWhenReported { get; private set; }

        public void Callback(Exception reason)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                CheckLeaseWhenReported = lease.CheckLease();
            }
            _reported.TrySetResult(reason);
        }
    }
}
