using System.Text.Json;
using ActorRecorder.Host.Tests.Cli;
using Akka.Actor;
using Akka.Cluster.Sharding;
using ActorRecorder.ClusterLab;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Probing;
using Npgsql;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Clustering;

/// <summary>
/// Real node processes on loopback sharing one PostgreSQL database and one recordings folder. What the specs check is
/// seen from outside, as an operator would see it: which node's ffmpeg records a channel (/proc), the files in the
/// shared folder, and the journal's rows.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How far one node's recording of a channel may run into the next node's, measured (README, "Cluster"): never, so the
    /// bound is the watch's own precision — file birth times are exact, the last write of a file killed mid-write is too.
    /// </summary>
    private static readonly TimeSpan OverlapBound = TimeSpan.Zero;

    [Fact(Timeout = 300_000)]
    public async Task Three_nodes_must_run_each_of_thirty_channels_once_and_a_killed_nodes_channels_must_continue_their_sessions_on_the_others()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 30);
        await scene.AllRecordingAsync(each: 5, Patience); // settled: a stretch of steady state the watch samples for conflicts
        scene.Say("placement: " + scene.Describe());

        // SIGKILL the oldest node: it also runs the shard coordinator, the hardest node to lose.
        var victim = scene.Lab.Nodes[0];
        var moved = scene.Watch.ChannelsOn(victim.Index);
        var before = moved.ToDictionary(c => c, c => scene.Watch.Segments(c).Last());
        var killedAt = TimeProvider.System.GetUtcNow();
        await victim.KillAsync();
        scene.Say($"killed node {victim.Index} (channels {string.Join(' ', moved)})");

        await scene.Watch.WaitUntilAsync(
            () => moved.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > before[c].Attempt)),
            Patience, () => "every channel of the killed node recording again: " + scene.Describe());
        // Its process is gone, so its port refuses connections: the others down it without waiting for the failure detector.
        Assert.Contains(scene.Lab.Nodes.Where(n => n != victim), n => n.SaidSinceStart("refuses connections on its remoting port"));
        foreach (var channel in moved)
        {
            var next = scene.Watch.Segments(channel).First(f => f.Attempt > before[channel].Attempt);
            scene.Say($"{channel}: recording again {(next.Created - killedAt).TotalSeconds:0.0} s after the kill");
            Assert.Equal(before[channel].Session, next.Session); // the same session folder: the session continues
            Assert.NotEqual(victim.Index, scene.Watch.Attempts(channel).Single(a => a.Attempt == next.Attempt).Node);

            var events = await JournalReader.PostgresAsync(scene.Database.ConnectionString, channel);
            Assert.Equal(before[channel].Session, Assert.Single(events.OfType<SessionStarted>()).SessionId);
            Assert.Contains(events.OfType<RecordingAttemptStarted>(), a => a.SessionId == next.Session && a.Attempt == next.Attempt);
            foreach (var earlier in events.OfType<SegmentRecorded>().Where(s => s.Attempt <= before[channel].Attempt).TakeLast(2))
            {
                Assert.Equal(earlier.Bytes, new FileInfo(earlier.Path).Length);
                Assert.True((await new Ffprobe().ProbeAsync(earlier.Path, TimeSpan.FromSeconds(20))).HasVideo, $"{earlier.Path} is playable");
            }
        }

        // The killed node comes back: the coordinator weighs a rebalance and moves no recording channel to it.
        var placed = new Dictionary<string, int>(scene.Watch.Placement);
        victim.Start();
        await scene.RebalanceDeferredAsync(victim.StartedAt, Patience);
        scene.Say("after the restart: " + scene.Lab.DescribeHosted());
        AssertStayed(scene, placed, victim);
        AssertNeverTwoRecorders(scene);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_frozen_node_must_not_write_or_record_for_the_channels_it_lost_after_it_thaws_and_must_rejoin()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 12);
        await scene.AllRecordingAsync(each: 2, Patience);
        var victim = scene.Lab.Nodes[1];
        var moved = scene.Watch.ChannelsOn(victim.Index);
        await scene.Watch.WaitUntilAsync(() => moved.All(c => scene.Watch.Segments(c).Count(f => f.Attempt == scene.Watch.Segments(c)[^1].Attempt) >= 2),
            Patience, () => "two segments of every channel of the node to freeze");
        var writers = await WritersAsync(scene, moved);
        var lastAttempt = moved.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1].Attempt);

        victim.Freeze();
        var frozenAt = TimeProvider.System.GetUtcNow(); // after the SIGSTOP: no write of the frozen node can be stamped later
        scene.Say($"froze node {victim.Index} (channels {string.Join(' ', moved)})");
        await scene.Watch.WaitUntilAsync(() => moved.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > lastAttempt[c])),
            Patience, () => "every channel of the frozen node recording on another node: " + scene.Describe());
        victim.Thaw();
        scene.Say($"thawed node {victim.Index}");
        // It learns that it was removed from the cluster and starts again as a new incarnation: whatever the frozen
        // incarnation could still do after its thaw, it has done by then.
        await scene.Watch.WaitUntilAsync(() => victim.OutputText.Contains("starting again to rejoin", StringComparison.Ordinal), Patience,
            () => "the thawed node to restart");

        // The thawed node wrote no event for a channel it lost... (A channel the coordinator handed to it in a rebalance just
        // before the freeze may start there on the thaw, under its shard's lease, until the node learns it was removed: that
        // is a channel it got, not one it lost, and the lease keeps it to one writer.)
        var lost = moved.Select(c => "channel-" + c).ToHashSet(StringComparer.Ordinal);
        var late = (await JournalReader.ChannelWritesAsync(scene.Database.ConnectionString))
            .Where(w => writers.Contains(w.WriterUuid) && w.Created > frozenAt && lost.Contains(w.PersistenceId)).ToList();
        Assert.True(late.Count == 0, "events written by the frozen node's channels after the freeze: "
            + string.Join(", ", late.Select(w => $"{w.PersistenceId}#{w.SequenceNr} {w.Manifest} at {w.Created:HH:mm:ss.fff}")));
        // ...its ffmpeg processes were stopped while it was frozen (by its watchdog), before each channel's next recording
        // began on another node: the order of the files' writes, not a wall-clock bound.
        foreach (var channel in moved)
        {
            var lastWrite = scene.Watch.Segments(channel).Where(f => f.Attempt <= lastAttempt[channel]).Max(f => f.LastWrite);
            var next = scene.Watch.Segments(channel).First(f => f.Attempt > lastAttempt[channel]).Created;
            scene.Say($"{channel}: the frozen node last wrote {(lastWrite - frozenAt).TotalSeconds:0.0} s after the freeze, {(next - lastWrite).TotalSeconds:0.0} s before the next node's first segment");
            Assert.True(lastWrite <= next, $"{channel}: the frozen node wrote at {lastWrite:HH:mm:ss.fff}, after the next node began at {next:HH:mm:ss.fff}");
        }
        Assert.Contains("is frozen or stalled", victim.OutputText, StringComparison.Ordinal); // the watchdog noticed...
        Assert.Contains("watchdog: killed pid", victim.OutputText, StringComparison.Ordinal); // ...and stopped the recordings

        // It rejoined as a new incarnation; the coordinator moves no recording channel to it.
        var rejoined = victim.Output.Last(o => o.Line.Contains("starting again to rejoin", StringComparison.Ordinal)).At;
        var placed = new Dictionary<string, int>(scene.Watch.Placement);
        await scene.RebalanceDeferredAsync(rejoined, Patience);
        scene.Say("after the rejoin: " + scene.Lab.DescribeHosted());
        AssertStayed(scene, placed, victim);
        AssertNeverTwoRecorders(scene);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_node_leaving_gracefully_must_hand_its_channels_off_and_a_joining_node_must_not_interrupt_any_recording()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 12);
        await scene.AllRecordingAsync(each: 2, Patience);
        var leaving = scene.Lab.Nodes[2];
        var moved = scene.Watch.ChannelsOn(leaving.Index);
        var lastAttempt = moved.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1].Attempt);

        Assert.Equal(0, await leaving.StopAsync(TimeSpan.FromSeconds(20)));
        scene.Say($"node {leaving.Index} left (channels {string.Join(' ', moved)})");
        await scene.Watch.WaitUntilAsync(() => moved.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > lastAttempt[c])),
            Patience, () => "every channel of the leaving node recording on another node: " + scene.Describe());
        foreach (var channel in moved)
        {
            // Handed off: ffmpeg finished its file and the attempt's end was persisted before the channel started elsewhere.
            var events = await JournalReader.PostgresAsync(scene.Database.ConnectionString, channel);
            Assert.Contains(events.OfType<RecordingAttemptEnded>(), e => e.Attempt == lastAttempt[channel] && e.Outcome == "Stopped");
            var handover = scene.Watch.Handovers(channel).Single(h => h.FromAttempt == lastAttempt[channel]);
            scene.Say($"{channel}: gap {(-handover.Overlap).TotalSeconds:0.0} s");
        }

        await JoinWhileRecordingAsync(scene);
        AssertNeverTwoRecorders(scene);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_joining_node_must_leave_recording_channels_in_place_and_take_them_once_their_broadcasts_end()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 2, channels: 4,
            recording: "poll-interval = 1s, segment-duration = 2s, grace-period = 3s, stall-timeout = 10s");
        await scene.AllRecordingAsync(each: 1, Patience);
        var joining = await JoinWhileRecordingAsync(scene);

        // The broadcast ends: once their sessions close (a 3 s grace period) the channels are idle and the newcomer gets its share.
        await scene.Lab.Source.EndAsync();
        var ended = TimeProvider.System.GetUtcNow();
        await scene.Watch.WaitUntilAsync(() => joining.ChannelsHosted.Count >= 1, Patience,
            () => "the joining node to take a channel whose broadcast ended: " + scene.Lab.DescribeHosted());
        scene.Say($"{(TimeProvider.System.GetUtcNow() - ended).TotalSeconds:0.0} s after the broadcast ended: " + scene.Lab.DescribeHosted());
        foreach (var channel in joining.ChannelsHosted)
        {
            var events = await JournalReader.PostgresAsync(scene.Database.ConnectionString, channel);
            Assert.Contains(events.OfType<SessionEnded>(), e => e.SessionId == scene.Watch.Segments(channel)[^1].Session);
        }
        AssertNeverTwoRecorders(scene);
    }

    /// <summary>A new node joins while every channel records: the coordinator weighs a rebalance and moves none of them.</summary>
    private static async Task<LabNode> JoinWhileRecordingAsync(ClusterScene scene)
    {
        var placed = new Dictionary<string, int>(scene.Watch.Placement);
        var joining = scene.Lab.AddNode();
        joining.Start();
        await scene.RebalanceDeferredAsync(joining.StartedAt, Patience);
        scene.Say("after the join: " + scene.Lab.DescribeHosted());
        AssertStayed(scene, placed, joining);
        return joining;
    }

    /// <summary>
    /// No channel moved since <paramref name="placed"/> was taken: every attempt since ran on the same node (an attempt
    /// that ended and began again there is ffmpeg's business, not a move), and <paramref name="newcomer"/> hosts nothing.
    /// </summary>
    private static void AssertStayed(ClusterScene scene, IReadOnlyDictionary<string, int> placed, LabNode newcomer)
    {
        scene.Watch.Look();
        foreach (var (channel, node) in placed)
        {
            var last = scene.Watch.Attempts(channel)[^1];
            Assert.True(last.Node == node, $"{channel} moved from node {node} to node {last.Node} while it recorded");
        }
        Assert.True(newcomer.ChannelsHosted.Count == 0, $"node {newcomer.Index} took channels that record: {string.Join(' ', newcomer.ChannelsHosted)}");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_node_cut_off_from_the_database_must_give_its_channels_up_to_the_others_and_rejoin_once_it_answers()
    {
        // Each node reaches PostgreSQL through a relay of its own, so one node alone can be cut off from it.
        await using var relays = new RelayedPostgres();
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 9, nodePostgres: relays.For);
        await scene.AllRecordingAsync(each: 1, Patience);
        var victim = scene.Lab.Nodes[1]; // not the oldest: the coordinator stays where it is
        var moved = scene.Watch.ChannelsOn(victim.Index);
        var before = moved.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1]);

        relays[victim.Index].Cut();
        var cutAt = TimeProvider.System.GetUtcNow();
        scene.Say($"cut node {victim.Index} off from PostgreSQL (channels {string.Join(' ', moved)})");
        await scene.Watch.WaitUntilAsync(() => moved.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > before[c].Attempt)),
            Patience, () => "every channel of the cut-off node recording on another node: " + scene.Describe());
        foreach (var channel in moved)
        {
            var next = scene.Watch.Segments(channel).First(f => f.Attempt > before[channel].Attempt);
            var after = (next.Created - cutAt).TotalSeconds;
            scene.Say($"{channel}: recording again {after:0.0} s after the cut");
            // give-up-after (6 s) and a failover (about 5 s) with room to spare on a loaded 2-core machine.
            Assert.True(after < 20, $"{channel} recorded nowhere for {after:0.0} s after its node was cut off from the database");
            Assert.Equal(before[channel].Session, next.Session); // the session continues
            Assert.NotEqual(victim.Index, scene.Watch.Attempts(channel).Single(a => a.Attempt == next.Attempt).Node);
        }
        Assert.True(victim.IsRunning, "the cut-off node's process exited");
        Assert.Contains("giving this node's channels up", victim.OutputText, StringComparison.Ordinal);

        // The database answers it again: it rejoins.
        relays[victim.Index].Restore();
        await scene.Watch.WaitUntilAsync(() => victim.SaidSinceStart("PostgreSQL answers this node again: starting again to rejoin"), Patience,
            () => "the cut-off node to rejoin once PostgreSQL answers it");
        scene.Say("the node rejoined: " + scene.Lab.DescribeHosted());
        AssertNeverTwoRecorders(scene);
    }

    /// <summary>
    /// A PostgreSQL restart as every node sees it (its connections reset, new ones refused: each node's relay stops). The
    /// ride-out is 30 s here (60 s by default) so that an outage past it costs the suite 45 s, not 90.
    /// </summary>
    [Fact(Timeout = 420_000)]
    public async Task A_database_outage_must_be_ridden_out_without_stopping_a_recording_and_one_past_the_ride_out_must_stop_and_resume_the_same_sessions()
    {
        var rideOut = TimeSpan.FromSeconds(30);
        await using var relays = new RelayedPostgres();
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 6, nodePostgres: relays.For,
            extra: $"cluster.lease.ride-out = {rideOut.TotalSeconds:0}s");
        await scene.AllRecordingAsync(each: 1, Patience);
        var channels = scene.Lab.ChannelIds;

        // 1. A 20 s outage: nothing stops. The outage's length is real time on purpose: it is what is ridden out.
        var before = channels.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1]);
        relays.StopAll();
        var stoppedAt = TimeProvider.System.GetUtcNow();
        scene.Say("PostgreSQL stopped for every node: " + scene.Describe());
        await Task.Delay(TimeSpan.FromSeconds(20));
        scene.Watch.Look();
        var openAtRestore = channels.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1].Path);
        relays.RestoreAll();
        var restoredAt = TimeProvider.System.GetUtcNow();
        scene.Say("PostgreSQL is back: " + scene.Describe());
        foreach (var channel in channels)
        {
            var during = scene.Watch.Segments(channel).Where(f => f.Created > stoppedAt).ToList();
            // 2 s segments for 20 s: about ten; a starved machine that still writes half of them has not stopped ffmpeg.
            Assert.True(during.Count >= 5, $"{channel} wrote {during.Count} segment(s) during the 20 s outage");
            Assert.All(during, f => Assert.True(f.Attempt == before[channel].Attempt && f.Session == before[channel].Session,
                $"{channel}: {Path.GetFileName(f.Path)} is attempt {f.Attempt} of session {f.Session}; the outage began in attempt {before[channel].Attempt} of {before[channel].Session}"));
        }
        Assert.All(scene.Lab.Nodes, n => Assert.True(n.IsRunning, $"node {n.Index} exited during the outage"));

        // Every segment finished during the outage is in the journal soon after the database is back (writes are retried
        // every 2 s at most; 15 s is the bound the issue sets, so a starved machine has room).
        var finished = channels.ToDictionary(c => c, c => scene.Watch.Segments(c)
            .Where(f => f.Created > stoppedAt && f.Path != openAtRestore[c]).Select(f => Path.GetFileName(f.Path)).ToHashSet());
        var journaled = new Dictionary<string, HashSet<string>>();
        await EventuallyAsync(async () =>
        {
            foreach (var channel in channels)
            {
                var events = await JournalReader.PostgresAsync(scene.Database.ConnectionString, channel);
                journaled[channel] = events.OfType<SegmentRecorded>().Select(e => Path.GetFileName(e.Path)).ToHashSet();
            }
            return channels.All(c => finished[c].IsSubsetOf(journaled[c]));
        }, "every segment recorded during the outage in the journal");
        var journaledAfter = TimeProvider.System.GetUtcNow() - restoredAt;
        scene.Say($"every segment of the outage journaled {journaledAfter.TotalSeconds:0.0} s after PostgreSQL came back");
        Assert.True(journaledAfter < TimeSpan.FromSeconds(15), $"the outage's events took {journaledAfter.TotalSeconds:0.0} s to reach the journal");

        // 2. An outage past the ride-out: every channel stops (after riding it out), no node exits, and once the database is
        // back every channel records again in the session it was in.
        await scene.AllRecordingAsync(each: 1, Patience);
        var beforeLong = channels.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1]);
        relays.StopAll();
        var longStoppedAt = TimeProvider.System.GetUtcNow();
        scene.Say("PostgreSQL stopped again, past the ride-out");
        await scene.Watch.WaitUntilAsync(() => scene.Watch.Placement.Count == 0, TimeSpan.FromSeconds(90),
            () => "every channel to stop once the outage outlasts the ride-out: " + scene.Describe());
        var allStopped = TimeProvider.System.GetUtcNow() - longStoppedAt;
        scene.Say($"every channel stopped {allStopped.TotalSeconds:0.0} s into the outage");
        // Each rode the outage out first: the lease's validity (ttl less its margin) and the ride-out, less a renewal interval.
        Assert.True(allStopped >= rideOut, $"the channels stopped {allStopped.TotalSeconds:0.0} s into the outage, before the ride-out ({rideOut.TotalSeconds:0} s)");
        await Task.Delay(TimeSpan.FromSeconds(45) - (TimeProvider.System.GetUtcNow() - longStoppedAt) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        Assert.All(scene.Lab.Nodes, n => Assert.True(n.IsRunning, $"node {n.Index} exited during the long outage"));
        relays.RestoreAll();
        scene.Say("PostgreSQL is back after 45 s");
        await scene.Watch.WaitUntilAsync(() => channels.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > beforeLong[c].Attempt)),
            Patience, () => "every channel recording again after the long outage: " + scene.Describe());
        foreach (var channel in channels)
        {
            var next = scene.Watch.Segments(channel).First(f => f.Attempt > beforeLong[channel].Attempt);
            Assert.Equal(beforeLong[channel].Session, next.Session);
        }
        AssertNeverTwoRecorders(scene);
    }

    /// <summary>
    /// Two faults at once: a node dies (SIGKILL) or freezes (SIGSTOP) while the database is down. The other two still hear
    /// each other (the majority), so they ride the outage out and record on; the victim's recordings stop (with its process,
    /// or by its watchdog); its channels, whose leases nobody can take while the database is down, continue their sessions
    /// on the others once it is back. A frozen node rejoins when it thaws. Never two recorders for a channel throughout.
    /// </summary>
    [Theory(Timeout = 300_000)]
    [InlineData("killed")]
    [InlineData("frozen")]
    public async Task A_node_killed_or_frozen_during_a_database_outage_must_not_stop_the_others_and_its_channels_must_resume_their_sessions(string fault)
    {
        await using var relays = new RelayedPostgres();
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 6, nodePostgres: relays.For);
        await scene.AllRecordingAsync(each: 1, Patience);
        var victim = scene.Lab.Nodes[1]; // not the oldest: the coordinator stays where it is
        var orphaned = scene.Watch.ChannelsOn(victim.Index);
        var kept = scene.Lab.ChannelIds.Except(orphaned).ToList();
        var before = scene.Lab.ChannelIds.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1]);

        relays.StopAll();
        var stoppedAt = TimeProvider.System.GetUtcNow();
        // Every node holds its leases past their validity before one of them goes.
        await scene.Watch.WaitUntilAsync(() => scene.Lab.Nodes.All(n => n.SaidSinceStart("past their validity")), Patience,
            () => "every node to ride the outage out");
        if (fault == "killed")
        {
            await victim.KillAsync();
        }
        else
        {
            victim.Freeze();
            // Its watchdog stops its recordings (after 2.5 s of silence).
            await scene.Watch.WaitUntilAsync(() => orphaned.All(c => !scene.Watch.Placement.ContainsKey(c)), Patience,
                () => "the frozen node's recordings to stop: " + scene.Describe());
        }
        scene.Say($"PostgreSQL down, node {victim.Index} {fault} (its channels {string.Join(' ', orphaned)})");
        await Task.Delay(TimeSpan.FromSeconds(15)); // the outage goes on: real time is the point
        scene.Watch.Look();
        relays.RestoreAll();
        var restoredAt = TimeProvider.System.GetUtcNow();
        scene.Say("PostgreSQL is back: " + scene.Describe());
        foreach (var channel in kept)
        {
            var during = scene.Watch.Segments(channel).Where(f => f.Created > stoppedAt && f.Created < restoredAt).ToList();
            Assert.True(during.Count >= 5, $"{channel} wrote {during.Count} segment(s) during the outage on another node");
            Assert.All(during, f => Assert.Equal(before[channel].Attempt, f.Attempt));
        }
        await scene.Watch.WaitUntilAsync(() => orphaned.All(c => scene.Watch.Segments(c).Any(f => f.Attempt > before[c].Attempt)),
            Patience, () => $"the {fault} node's channels recording on the others: " + scene.Describe());
        foreach (var channel in orphaned)
        {
            var next = scene.Watch.Segments(channel).First(f => f.Attempt > before[channel].Attempt);
            scene.Say($"{channel}: recording again {(next.Created - restoredAt).TotalSeconds:0.0} s after PostgreSQL came back");
            Assert.Equal(before[channel].Session, next.Session);
            Assert.NotEqual(victim.Index, scene.Watch.Attempts(channel).Single(a => a.Attempt == next.Attempt).Node);
        }
        if (fault == "frozen")
        {
            victim.Thaw();
            await scene.Watch.WaitUntilAsync(() => victim.OutputText.Contains("starting again to rejoin", StringComparison.Ordinal), Patience,
                () => "the thawed node to restart and rejoin");
            // Its watchdog stopped its recordings (its lines pass through the node, so they show once it has thawed).
            Assert.Contains("is frozen or stalled", victim.OutputText, StringComparison.Ordinal);
        }
        Assert.All(kept, c => Assert.Equal(before[c].Attempt, scene.Watch.Segments(c)[^1].Attempt));
        AssertNeverTwoRecorders(scene);
    }

    /// <summary>
    /// Two faults at once: a node starts (a rolling deploy) while PostgreSQL restarts. It waits for the database instead
    /// of exiting; the others ride the outage out without stopping a recording; once the database is back the new node
    /// joins and takes no recording channel.
    /// </summary>
    [Fact(Timeout = 300_000)]
    public async Task A_node_started_during_a_database_outage_must_wait_for_it_and_then_join_without_interrupting_a_recording()
    {
        await using var relays = new RelayedPostgres();
        await using var scene = await ClusterScene.StartAsync(output, nodes: 2, channels: 4, nodePostgres: relays.For);
        await scene.AllRecordingAsync(each: 1, Patience);
        var placed = new Dictionary<string, int>(scene.Watch.Placement);
        var before = scene.Lab.ChannelIds.ToDictionary(c => c, c => scene.Watch.Segments(c)[^1]);

        relays.StopAll();
        var stoppedAt = TimeProvider.System.GetUtcNow();
        var joining = scene.Lab.AddNode();
        relays[joining.Index].Stop();
        joining.Start();
        scene.Say($"PostgreSQL down; node {joining.Index} starting");
        await scene.Watch.WaitUntilAsync(() => joining.SaidSinceStart("PostgreSQL does not answer"), Patience,
            () => $"node {joining.Index} to say it waits for PostgreSQL");
        await Task.Delay(TimeSpan.FromSeconds(15)); // the outage goes on: real time is the point
        Assert.True(joining.IsRunning, $"node {joining.Index}, started during the outage, exited instead of waiting");
        scene.Watch.Look();
        relays.RestoreAll();
        var restoredAt = TimeProvider.System.GetUtcNow();
        scene.Say("PostgreSQL is back: " + scene.Describe());
        foreach (var channel in scene.Lab.ChannelIds)
        {
            var during = scene.Watch.Segments(channel).Where(f => f.Created > stoppedAt && f.Created < restoredAt).ToList();
            Assert.True(during.Count >= 5, $"{channel} wrote {during.Count} segment(s) during the outage");
            Assert.All(during, f => Assert.Equal(before[channel].Attempt, f.Attempt));
        }

        await scene.Watch.WaitUntilAsync(() => joining.SaidSinceStart("PostgreSQL answers: starting"), Patience,
            () => $"node {joining.Index} to start once PostgreSQL answers");
        await scene.RebalanceDeferredAsync(restoredAt, Patience);
        scene.Say("after the join: " + scene.Lab.DescribeHosted());
        AssertStayed(scene, placed, joining);
        Assert.All(scene.Lab.ChannelIds, c => Assert.Equal(before[c].Attempt, scene.Watch.Segments(c)[^1].Attempt));
        AssertNeverTwoRecorders(scene);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_channel_list_must_keep_a_channel_added_on_one_node_when_another_restarts_and_must_converge_when_two_nodes_are_edited_at_once()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 3, channels: 3);
        await scene.AllRecordingAsync(each: 1, Patience);
        var (first, second, third) = (scene.Lab.Nodes[0], scene.Lab.Nodes[1], scene.Lab.Nodes[2]);
        var url = scene.Lab.Source.PlaylistUrl;
        var added = await CliRunner.RunAsync(["channel", "add", "viaapi", url, "--config", first.ConfigPath]);
        Assert.True(added.ExitCode == 0, added.ToString());
        await ListedEverywhereAsync(scene, ids => ids.Contains("viaapi"), "the channel added on node 1 listed by every node");
        await scene.Watch.WaitUntilAsync(() => scene.Watch.Placement.ContainsKey("viaapi"), Patience, () => "the added channel recording");

        // Node 2 restarts with its file saved again, newer than every edit (a redeploy): its file does not name the channel.
        Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(20)));
        File.SetLastWriteTimeUtc(second.ConfigPath, TimeProvider.System.GetUtcNow().UtcDateTime);
        second.Start();
        await ListedEverywhereAsync(scene, ids => ids.Contains("viaapi") && ids.Count == 4, "every node, node 2 restarted, listing the added channel");
        Assert.True(scene.Watch.Placement.ContainsKey("viaapi"), "the added channel stopped recording after node 2 restarted");
        Assert.DoesNotContain(scene.Lab.Nodes, n => n.SaidSinceStart("removed [viaapi"));

        // Two nodes' files edited at once, each adding a channel: every node ends with both.
        foreach (var (node, id) in new[] { (first, "edit1"), (third, "edit3") })
        {
            File.WriteAllText(node.ConfigPath, File.ReadAllText(node.ConfigPath).Replace("channels = [", $"channels = [\n    {{ id = {id}, url = \"{url}\" }},", StringComparison.Ordinal));
        }
        var lists = await ListedEverywhereAsync(scene, ids => ids.Contains("edit1") && ids.Contains("edit3"), "both edits listed by every node");
        Assert.All(lists, list => Assert.Equal(lists[0], list));
        Assert.Equal([.. scene.Lab.ChannelIds, "edit1", "edit3", "viaapi"], lists[0].Order(StringComparer.Ordinal));
        AssertNeverTwoRecorders(scene);
    }

    /// <summary>Asks every running node for its channel list (the CLI's channel list) until every answer satisfies <paramref name="done"/>.</summary>
    private static async Task<List<List<string>>> ListedEverywhereAsync(ClusterScene scene, Func<List<string>, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        var lists = new List<List<string>>();
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            lists = [];
            foreach (var node in scene.Lab.Running)
            {
                var listed = await CliRunner.RunAsync(["channel", "list", "--json", "--config", node.ConfigPath]);
                lists.Add(listed.ExitCode == 0
                    ? [.. JsonDocument.Parse(listed.Out).RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)]
                    : []);
            }
            if (lists.Count == scene.Lab.Nodes.Count && lists.All(done))
            {
                return lists;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new TimeoutException($"{what}: {string.Join(" | ", lists.Select(l => string.Join(' ', l)))}");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_command_for_a_channel_sent_on_any_node_must_reach_its_entity()
    {
        await using var scene = await ClusterScene.StartAsync(output, nodes: 2, channels: 6);
        await scene.AllRecordingAsync(each: 2, Patience);
        // A third member in this process, through which the spec speaks to the cluster; it hosts channels like the others.
        await using var member = await RecorderNode.StartAsync(scene.Lab.AddNode().ConfigPath);
        var region = ClusterSharding.Get(member.System).ShardRegion("channel");

        // Every channel answers, wherever it runs.
        await EventuallyAsync(async () => await member.GetStatusAsync() is { Count: 6 } all && all.All(s => s.Mode == ChannelMode.Recording),
            "every channel's status, each recording, through the third node");

        // Pause and resume a channel that another node records.
        var channel = scene.Watch.ChannelsOn(1).Concat(scene.Watch.ChannelsOn(2)).First();
        scene.Say($"pausing {channel} (recorded by node {scene.Watch.Placement[channel]}) through the third node");
        region.Tell(new ShardingEnvelope(channel, new PauseChannel()));
        await EventuallyAsync(async () => (await StatusAsync(region, channel)).Mode == ChannelMode.Paused && !Recording(scene, channel),
            $"{channel} paused and its ffmpeg gone");

        var resumedAt = TimeProvider.System.GetUtcNow();
        region.Tell(new ShardingEnvelope(channel, new ResumeChannel()));
        await EventuallyAsync(async () => (await StatusAsync(region, channel)).Mode == ChannelMode.Recording
            && scene.Watch.Segments(channel).Any(f => f.Created > resumedAt), $"{channel} recording again");
        var events = await JournalReader.PostgresAsync(scene.Database.ConnectionString, channel);
        Assert.Single(events.OfType<ChannelPaused>());
        Assert.Single(events.OfType<ChannelResumed>());
    }

    private static Task<ChannelStatus> StatusAsync(IActorRef region, string channel) =>
        region.Ask<ChannelStatus>(new ShardingEnvelope(channel, new GetChannelStatus()), TimeSpan.FromSeconds(10));

    /// <summary>Whether any ffmpeg (of any node, this process's included) records the channel.</summary>
    private static bool Recording(ClusterScene scene, string channel) =>
        ProcessStats.Named("ffmpeg").Any(p => p.Arguments.Any(a => a.StartsWith(Path.Combine(scene.Lab.RecordingsDir, channel) + "/", StringComparison.Ordinal)));

    private static async Task<bool> Answer(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (AskTimeoutException)
        {
            return false; // the channel is moving to the new member: ask again
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!await Answer(condition))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"timed out waiting for {what}");
            await Task.Delay(500);
        }
    }

    /// <summary>No moment with two ffmpegs for one channel, and no channel's recording running into the next node's.</summary>
    private void AssertNeverTwoRecorders(ClusterScene scene)
    {
        Assert.Empty(scene.Watch.Conflicts);
        foreach (var handover in scene.Lab.ChannelIds.SelectMany(scene.Watch.Handovers))
        {
            output.WriteLine($"{handover.Channel}: node {handover.FromNode} -> node {handover.ToNode}, overlap {handover.Overlap.TotalSeconds:0.00} s");
            Assert.True(handover.Overlap <= OverlapBound, $"{handover.Channel} was recorded by nodes {handover.FromNode} and {handover.ToNode} at once for {handover.Overlap.TotalSeconds:0.00} s");
        }
    }

    /// <summary>The writer uuids (persistent actor incarnations) that wrote the channels' latest rows.</summary>
    private static async Task<HashSet<string>> WritersAsync(ClusterScene scene, IReadOnlyList<string> channels)
    {
        var writes = await JournalReader.ChannelWritesAsync(scene.Database.ConnectionString);
        return channels.Select(c => writes.Last(w => w.PersistenceId == "channel-" + c).WriterUuid).ToHashSet();
    }
}
