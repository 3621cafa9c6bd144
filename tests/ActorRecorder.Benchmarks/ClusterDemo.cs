using System.Diagnostics;
using ActorRecorder.ClusterLab;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// <c>./build.sh cluster-demo</c>: three node processes on loopback ports sharing a throwaway PostgreSQL and one
/// recordings folder, a dozen channels recording a synthetic live source. It shows where each channel runs, SIGKILLs a
/// node, shows its channels recording again elsewhere with the gap, restarts the node and shows the rebalance.
/// </summary>
internal static class ClusterDemo
{
    public static async Task Run(string[] args)
    {
        if (!PostgresDatabase.IsConfigured)
        {
            throw new InvalidOperationException("the cluster demo needs PostgreSQL: ./build.sh cluster-demo starts a throwaway one");
        }
        var logPath = Path.Combine(Path.GetTempPath(), "actorrecorder-cluster-demo.log");
        await using var log = new StreamWriter(logPath) { AutoFlush = true };
        await using var database = await PostgresDatabase.CreateAsync();
        await using var cluster = await LocalCluster.CreateAsync(new LocalClusterOptions
        {
            CliPath = NodeProcess.CliPath,
            PostgresConnectionString = database.ConnectionString,
            Nodes = 3,
            Channels = 12,
            Log = line => Log(log, line),
            Tls = true,
        });
        Say($"the nodes' full output goes to {logPath}; here: the cluster's decisions and any error");
        var scene = new MeasuredCluster(cluster);
        Say($"a synthetic live source at {cluster.Source.PlaylistUrl}; PostgreSQL database {database.Name}; recordings in {cluster.RecordingsDir}");
        Say($"starting 3 nodes on 127.0.0.1 ports {string.Join(", ", cluster.Nodes.Select(n => n.Port))}, each with the same 12 channels ({cluster.Nodes[0].ConfigPath}); "
            + $"the cluster port runs mutual TLS, each node with its own certificate from the CA in {Path.Combine(cluster.Root, "tls")} (actorrecorder certificates)");
        var clock = Stopwatch.StartNew();
        await cluster.StartSpreadAsync(each: 2, TimeSpan.FromMinutes(3));
        await scene.SettledAsync();
        Say($"every channel recording after {clock.Elapsed.TotalSeconds:0.0} s, each on exactly one node:");
        Placement(cluster);

        var victim = cluster.Nodes[0];
        Say($"SIGKILL node {victim.Index} (pid {victim.Pid}): it also runs the shard coordinator");
        var gaps = await scene.KillAsync(victim);
        Say($"its {gaps.Count} channels record again on the other nodes, {gaps.Min():0.0} to {gaps.Max():0.0} s after the kill "
            + "(each continues its session: the next attempt's files go into the same session folder):");
        Placement(cluster);
        Session(cluster);

        Say($"restarting node {victim.Index}");
        var interrupted = await scene.JoinAsync(victim);
        Say($"node {victim.Index} is back; {interrupted} recording channels moved to it (recording channels stay where they are until their broadcasts end; idle ones move at once):");
        Placement(cluster);

        Say(cluster.Watch.Conflicts.Count == 0
            ? "no channel was ever recorded by two nodes at once"
            : $"{cluster.Watch.Conflicts.Count} moments with two recorders for a channel: {string.Join(", ", cluster.Watch.Conflicts.Select(c => c.Channel))}");
        Say("stopping the nodes (SIGTERM: each hands its channels off and exits)");
    }

    private static void Placement(LocalCluster cluster)
    {
        foreach (var node in cluster.Nodes)
        {
            var state = node.IsRunning ? $"pid {node.Pid}" : "down";
            Console.WriteLine($"    node {node.Index} ({state}, port {node.Port}): {string.Join(' ', cluster.Watch.ChannelsOn(node.Index))}");
        }
    }

    /// <summary>One moved channel's session folder: the attempts, and which node recorded each.</summary>
    private static void Session(LocalCluster cluster)
    {
        var channel = cluster.ChannelIds.FirstOrDefault(c => cluster.Watch.Handovers(c).Count > 0);
        if (channel is null)
        {
            return;
        }
        var segments = cluster.Watch.Segments(channel);
        var nodes = cluster.Watch.Attempts(channel).ToDictionary(a => (a.Session, a.Attempt), a => a.Node);
        Console.WriteLine($"    {channel}, session {segments[^1].Session}:");
        foreach (var attempt in segments.GroupBy(s => (s.Session, s.Attempt)).Where(g => g.Key.Session == segments[^1].Session))
        {
            var node = nodes.TryGetValue(attempt.Key, out var n) ? $"node {n}" : "?";
            Console.WriteLine($"      attempt {attempt.Key.Attempt} ({node}): {attempt.Count()} segment(s), {Path.GetFileName(attempt.First().Path)} .. {Path.GetFileName(attempt.Last().Path)}");
        }
    }

    /// <summary>Every node line to the log file; the cluster's decisions and errors to the console too.</summary>
    private static void Log(StreamWriter log, string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
        if (Interesting.Any(text => line.Contains(text, StringComparison.Ordinal)))
        {
            Console.WriteLine("    " + line);
        }
    }

    private static readonly string[] Interesting =
    [
        "Marking node(s) as UNREACHABLE", "SBR took decision", "is JOINING", "Leader is moving node", " fail: ActorRecorder", " crit: ",
    ];

    private static void Say(string line) => Console.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
