using ActorRecorder.Engine.Channel;
using CsCheck;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// The channel's invariants as properties over random worlds: broadcast schedules, faults at random moments
/// (ffmpeg failing, children and channels and nodes dying, workers hanging, the disk filling, pause, settings
/// changes, removal and re-adding, shutdown), and random worker answers. CsCheck shrinks a failing case to a
/// small one and prints its seed.
/// </summary>
public sealed class ChannelProperties(ITestOutputHelper output)
{
    private static readonly Fault[] EveryFault = Enum.GetValues<Fault>();

    private static readonly Fault[] CrashesOnly = [Fault.FfmpegFails, Fault.FfmpegActorDies, Fault.ChannelRestarts, Fault.NodeCrashes, Fault.WorkerDies];

    /// <summary>Broadcasts of one to four live stretches separated by drops shorter than the grace period (minus detection), far apart.</summary>
    private static readonly Gen<List<(TimeSpan Start, TimeSpan End)>> Broadcasts =
        Gen.Select(Gen.Int[20, 120], Gen.Int[1, 7]).List[1, 4].List[1, 3].Select(broadcasts =>
        {
            var live = new List<(TimeSpan, TimeSpan)>();
            var at = TimeSpan.FromSeconds(5);
            foreach (var stretches in broadcasts)
            {
                foreach (var (length, drop) in stretches)
                {
                    live.Add((at, at + TimeSpan.FromSeconds(length)));
                    at += TimeSpan.FromSeconds(length + drop);
                }
                at += 3 * ChannelWorld.Grace + TimeSpan.FromSeconds(20);
            }
            return live;
        });

    [Fact(Timeout = 240_000)]
    public Task A_broadcast_must_be_one_session_however_ffmpeg_the_channel_or_the_node_fail() => Task.Run(() =>
    {
        var gen = Gen.Select(Gen.Int, Broadcasts, Gen.Select(Gen.Double[0, 1], Gen.OneOfConst(CrashesOnly)).List[0, 12]);
        gen.Sample((seed, live, faults) =>
        {
            var world = new ChannelWorld(seed, live, workersMisbehave: true, adoptionMayHang: false);
            var end = live[^1].End;
            // Crashes only while the platform is live: a restart during a long gap would rightly extend the grace period.
            var moments = faults.Select(f => (At: TimeSpan.FromTicks((long)(f.Item1 * end.Ticks)), Fault: f.Item2))
                .Where(f => world.IsLive(ChannelScriptEpoch + f.At)).OrderBy(f => f.At).ToList();
            world.Run(end + TimeSpan.FromMinutes(2), moments);
            world.Settle(end + TimeSpan.FromHours(12), IsSettled);

            Assert.True(world.Violations.Count == 0, string.Join("\n", world.Violations));
            var sessionsPerBroadcast = BroadcastsOf(live)
                .Select(b => world.Journal.OfType<SegmentRecorded>()
                    .Where(s => !s.Adopted && s.At - ChannelScriptEpoch >= b.Start && s.At - ChannelScriptEpoch <= b.End)
                    .Select(s => s.SessionId).Distinct().ToList())
                .ToList();
            Assert.All(sessionsPerBroadcast, sessions => Assert.True(sessions.Count == 1, $"a broadcast was recorded in {sessions.Count} sessions: {string.Join(", ", sessions)}"));
            Assert.Equal(sessionsPerBroadcast.Count, sessionsPerBroadcast.Select(s => s[0]).Distinct().Count());
            AssertSettled(world);
        }, iter: 300, print: Print, writeLine: output.WriteLine);
    });

    [Fact(Timeout = 240_000)]
    public Task Whatever_happens_a_channel_must_keep_its_invariants_and_settle() => Task.Run(() =>
    {
        var gen = Gen.Select(Gen.Int, Broadcasts, Gen.Select(Gen.Double[0, 1], Gen.OneOfConst(EveryFault)).List[0, 25]);
        gen.Sample((seed, live, faults) =>
        {
            var world = new ChannelWorld(seed, live, workersMisbehave: true, adoptionMayHang: true);
            var end = live[^1].End + TimeSpan.FromMinutes(2);
            world.Run(end, faults.Select(f => (TimeSpan.FromTicks((long)(f.Item1 * end.Ticks)), f.Item2)).OrderBy(f => f.Item1));
            world.Settle(end + TimeSpan.FromHours(12), IsSettled);

            Assert.True(world.Violations.Count == 0, string.Join("\n", world.Violations));
            AssertSettled(world);
        }, iter: 300, print: Print, writeLine: output.WriteLine);
    });

    private static readonly DateTimeOffset ChannelScriptEpoch = ChannelScript.Epoch;

    private static bool IsSettled(ChannelState state) =>
        state.Runtime is { Lifecycle: Lifecycle.Active, Recorder: null, Delivery.Outstanding: null } && state.Persisted.Current is null
        && state.Persisted.Processing.TrueForAll(s => s.FailureReason is not null) && state.Persisted.Cleanups.IsEmpty;

    /// <summary>No way out would be a stuck state: once the world is quiet, every session must end and be delivered (or have failed for a reason).</summary>
    private static void AssertSettled(ChannelWorld world)
    {
        var state = world.State;
        Assert.True(IsSettled(state), $"not settled at {world.Now:HH:mm}: lifecycle {state.Runtime.Lifecycle}, mode {state.Mode}, session {state.Persisted.Current?.Id}, "
            + $"recorder {state.Runtime.Recorder}, outstanding {state.Runtime.Delivery.Outstanding}, retry waiting {state.Runtime.Delivery.RetryWaiting}, "
            + $"processing {string.Join(", ", state.Persisted.Processing.Select(s => s.Id + ":" + (s.FailureReason ?? "open")))}, cleanups {state.Persisted.Cleanups.Count}; "
            + $"last events: {string.Join(" | ", world.Journal.TakeLast(8))}");
    }

    /// <summary>Stretches joined by short drops are one broadcast.</summary>
    private static List<(TimeSpan Start, TimeSpan End)> BroadcastsOf(List<(TimeSpan Start, TimeSpan End)> live)
    {
        var broadcasts = new List<(TimeSpan Start, TimeSpan End)>();
        foreach (var stretch in live)
        {
            if (broadcasts.Count > 0 && stretch.Start - broadcasts[^1].End < ChannelWorld.Grace)
            {
                broadcasts[^1] = (broadcasts[^1].Start, stretch.End);
            }
            else
            {
                broadcasts.Add(stretch);
            }
        }
        return broadcasts;
    }

    private static string Print((int Seed, List<(TimeSpan Start, TimeSpan End)> Live, List<(double, Fault)> Faults) input) =>
        $"seed {input.Seed}; live {string.Join(", ", input.Live.Select(l => $"{l.Start.TotalSeconds}-{l.End.TotalSeconds}s"))}; "
        + $"faults {string.Join(", ", input.Faults.Select(f => $"{f.Item2}@{f.Item1:0.###}"))}";
}
