using System.Diagnostics;
using ActorRecorder.ClusterLab;
using ActorRecorder.Host.Channels;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// The cluster as an operator meets it: three node processes on loopback sharing a PostgreSQL database and a recordings
/// folder, channels recording a synthetic live source. It SIGKILLs nodes one after another (failover: the kill to the
/// first segment of each moved channel on another node), stops them gracefully (the hand-off gap), restarts them while
/// every channel records (recording channels interrupted by the join: none should be), times how long idle channels
/// take to even out over the nodes once a broadcast ends, freezes and thaws one (the overlap of its recordings
/// with their new owners'), keeps the cluster recording for ten minutes (no node may be taken for dead), and holds
/// 1,000 idle channels on three nodes next to the same channels on one node (memory and CPU per node).
/// </summary>
internal static class ClusterBenchmark
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task Run(string[] args)
    {
        if (!PostgresDatabase.IsConfigured)
        {
            throw new InvalidOperationException("the cluster benchmark needs PostgreSQL: ./build.sh bench cluster starts one");
        }
        var quick = args.Contains("--quick");
        // --failover-only: the kill series alone (to measure a change to failover without the half-hour run).
        var failoverOnly = args.Contains("--failover-only");
        // --soak-minutes N: the soak's length (1 with --quick, 20 otherwise).
        var soak = Options.Int(args, "--soak-minutes") is { } minutes ? TimeSpan.FromMinutes(minutes) : quick ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(20);
        await RecordingClusterAsync(kills: quick ? 3 : 10, leaves: quick ? 1 : 3, soak, failoverOnly);
        if (failoverOnly)
        {
            return;
        }
        var channels = quick ? 300 : 1000;
        var window = quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(60);
        await IdleAsync(nodes: 1, channels, window);
        await IdleAsync(nodes: 3, channels, window);
    }

    /// <summary>The lab's grace period (LocalClusterOptions.Recording): a session closes this long after its stream ended.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);

    private static async Task RecordingClusterAsync(int kills, int leaves, TimeSpan soak, bool failoverOnly)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await LocalCluster.CreateAsync(new LocalClusterOptions
        {
            CliPath = NodeProcess.CliPath,
            PostgresConnectionString = database.ConnectionString,
            Nodes = 3,
            Channels = 24,
            Log = NodeProcess.Log,
            Tls = true, // as a deployment runs (the compose file does): mutual TLS between the nodes
        });
        var scene = new MeasuredCluster(cluster);
        await cluster.StartSpreadAsync(each: 4, TimeSpan.FromMinutes(3));
        await scene.SettledAsync();
        Report.Note($"24 channels on 3 nodes: {scene.Describe()}");

        // A node dies whatever its role: the victims follow a fixed order that mixes them (a restarted node is the
        // youngest). The oldest node also runs the sharding coordinator, whose state the next oldest first reads back
        // from the journal; those kills are reported apart too.
        var failovers = new List<double>();
        var coordinatorFailovers = new List<double>();
        var perChannel = new List<double>();
        var joinGaps = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            // Recording channels stay where they are when a node joins, so a restarted node holds none until broadcasts
            // end: the victim is the node holding the most, whatever its role (the restarted ones are the youngest).
            var victim = scene.Busiest();
            var oldest = cluster.Running.MinBy(n => n.StartedAt) == victim;
            var gaps = await scene.KillAsync(victim);
            failovers.Add(gaps.Max());
            if (oldest)
            {
                coordinatorFailovers.Add(gaps.Max());
            }
            perChannel.AddRange(gaps);
            Report.Note($"kill {kill + 1}: node {victim.Index}{(oldest ? " (the oldest: the coordinator's)" : "")}, {gaps.Count} channels recording again after {gaps.Min():0.0} to {gaps.Max():0.0} s");
            joinGaps += await scene.JoinAsync(victim);
        }
        // Per kill: the last of its channels to record again.
        Report.Result("cluster.failover_gap_s.median", Median(failovers), "s");
        Report.Result("cluster.failover_gap_s.max", failovers.Max(), "s");
        Report.Result("cluster.failover_gap_s.per_channel_median", Median(perChannel), "s");
        if (coordinatorFailovers.Count > 0)
        {
            Report.Result("cluster.failover_gap_s.coordinator_node_median", Median(coordinatorFailovers), "s");
        }
        Report.Result("cluster.join_recording_gaps", joinGaps, $"recording channels interrupted by {kills} node joins");
        Report.Result("cluster.rebalance_s", await scene.RebalanceIdleAsync(GracePeriod), "s");
        if (failoverOnly)
        {
            return;
        }

        var leaveGaps = new List<double>();
        for (var leave = 0; leave < leaves; leave++)
        {
            var leaving = scene.Busiest();
            var gaps = await scene.LeaveAsync(leaving);
            leaveGaps.AddRange(gaps);
            Report.Note($"leave {leave + 1}: node {leaving.Index}, {gaps.Count} channels handed off with gaps of {gaps.Min():0.0} to {gaps.Max():0.0} s");
            joinGaps += await scene.JoinAsync(leaving);
        }
        Report.Result("cluster.join_recording_gaps.after_leaves", joinGaps, $"recording channels interrupted by {kills + leaves} node joins");
        Report.Result("cluster.leave_gap_s.median", Median(leaveGaps), "s");
        Report.Result("cluster.leave_gap_s.max", leaveGaps.Max(), "s");

        // The node holding the most recording channels (one that just rejoined holds none: joins move no recording channel).
        var (overlap, tail, silent) = await scene.FreezeAsync(scene.Busiest());
        Report.Result("cluster.silent_failover_gap_s", silent, "s");
        // Negative: the frozen node's last write came before the new owner's first segment (a gap, no overlap).
        Report.Result("cluster.thaw_overlap_s", overlap, "s");
        Report.Result("cluster.frozen_ffmpeg_tail_s", tail, "s");

        await scene.SoakAsync(soak);
        Report.Result("cluster.conflicts", cluster.Watch.Conflicts.Count, "moments with two ffmpegs for one channel");
    }

    /// <summary>Idle channels (their URLs answer 404, checked every 30 s) spread over the nodes: memory and CPU per node.</summary>
    private static async Task IdleAsync(int nodes, int channels, TimeSpan window)
    {
        await using var server = await HlsReplayServer.StartAsync([], 2);
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await LocalCluster.CreateAsync(new LocalClusterOptions
        {
            CliPath = NodeProcess.CliPath,
            PostgresConnectionString = database.ConnectionString,
            Nodes = nodes,
            Channels = channels,
            ChannelUrl = server.Url,
            Recording = "poll-interval = 30s, grace-period = 1m",
            Log = NodeProcess.Log,
            Tls = true,
        });
        cluster.StartAll();
        await Task.Delay(TimeSpan.FromSeconds(60)); // the cluster forms, every channel starts and has its first check
        var pids = cluster.Nodes.Select(n => n.Pid ?? throw new InvalidOperationException($"node {n.Index} is not running")).ToList();
        var cpuBefore = pids.Select(ProcessStats.CpuTime).ToList();
        var requestsBefore = server.Requests;
        var rss = new long[pids.Count];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window)
        {
            for (var i = 0; i < pids.Count; i++)
            {
                rss[i] = Math.Max(rss[i], ProcessStats.Rss(pids[i]));
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var checks = (server.Requests - requestsBefore) / watch.Elapsed.TotalSeconds;
        var prefix = $"cluster.idle{channels}.{nodes}_node{(nodes == 1 ? "" : "s")}";
        for (var i = 0; i < pids.Count; i++)
        {
            var cpu = (ProcessStats.CpuTime(pids[i]) - cpuBefore[i]).TotalSeconds / watch.Elapsed.TotalSeconds * 100;
            Report.Result($"{prefix}.node{i + 1}.rss_mb", rss[i] / 1048576.0, "MB");
            Report.Result($"{prefix}.node{i + 1}.cpu_pct", cpu, "% of a core");
        }
        Report.Result(prefix + ".checks_per_sec", checks, "checks/s");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
