using ActorRecorder.Platforms.Gate;

namespace ActorRecorder.Platforms.Tests;

public sealed class AdaptiveGateSpecs
{
    private static readonly GateOptions Options = new() { InitialLimit = 4, MinLimit = 1, MaxLimit = 6, SuccessesToGrow = 3 };

    [Fact(Timeout = 10_000)]
    public async Task The_gate_must_never_admit_more_than_its_limit_and_admit_waiters_in_order()
    {
        var gate = new AdaptiveGate(Options);
        var leases = new List<AdaptiveGate.Lease>();
        for (var i = 0; i < 4; i++)
        {
            leases.Add(await gate.EnterAsync(CancellationToken.None));
        }
        var fifth = gate.EnterAsync(CancellationToken.None);
        var sixth = gate.EnterAsync(CancellationToken.None);
        Assert.False(fifth.IsCompleted);
        Assert.Equal(4, gate.InFlight);
        leases[0].Dispose();
        var admitted = await fifth.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(sixth.IsCompleted);
        admitted.Dispose();
        (await sixth.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact(Timeout = 10_000)]
    public async Task Failures_must_halve_the_limit_and_successes_must_grow_it_back_to_the_maximum()
    {
        var gate = new AdaptiveGate(Options);
        await Call(gate, ok: false);
        Assert.Equal(2, gate.CurrentLimit);
        await Call(gate, ok: false);
        await Call(gate, ok: false);
        Assert.Equal(1, gate.CurrentLimit);
        for (var i = 0; i < 3 * 10; i++)
        {
            await Call(gate, ok: true);
        }
        Assert.Equal(6, gate.CurrentLimit);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_cancelled_waiter_must_leave_the_queue_without_taking_a_place()
    {
        var gate = new AdaptiveGate(Options with { InitialLimit = 1 });
        var held = await gate.EnterAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(0, gate.InFlight);
        (await gate.EnterAsync(CancellationToken.None)).Dispose();
    }

    private static async Task Call(AdaptiveGate gate, bool ok)
    {
        using var lease = await gate.EnterAsync(CancellationToken.None);
        if (ok)
        {
            lease.Succeeded();
        }
        else
        {
            lease.Failed();
        }
    }
}
