using System.Reflection;
using ActorRecorder.ClusterLab;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Clustering;

/// <summary>
/// The cluster specs run alone (not beside other specs): three node processes, a live source and dozens of ffmpeg on a
/// two-core machine are load enough; another spec's load beside them would measure the machine, not the recorder.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}

/// <summary>A <see cref="LocalCluster"/> on its own PostgreSQL database, its nodes' output going to the spec's output.</summary>
public sealed class ClusterScene : IAsyncDisposable
{
    public static readonly string CliPath = typeof(ClusterScene).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliPath").Value!;

    private readonly ITestOutputHelper _output;

    private ClusterScene(PostgresDatabase database, LocalCluster lab, ITestOutputHelper output)
    {
        Database = database;
        Lab = lab;
        _output = output;
    }

    public PostgresDatabase Database { get; }

    public LocalCluster Lab { get; }

    public RecordingsWatch Watch => Lab.Watch;

    /// <summary>
    /// Creates the database and the lab, starts the nodes and, once the channels have spread over them, the broadcast
    /// (their output goes to the spec's output). <paramref name="channelUrl"/>: a channel's URL by its id, null for the
    /// lab's live source; <paramref name="recording"/>: the lab's recording settings, or its own.
    /// </summary>
    /// <param name="nodePostgres">How node N reaches the database, given the database's connection string; null: directly.</param>
    /// <param name="extra">More of every node's actor-recorder block.</param>
    /// <param name="tls">Mutual TLS on the cluster port (a CA and a certificate per node).</param>
    public static async Task<ClusterScene> StartAsync(ITestOutputHelper output, int nodes, int channels,
        Func<LocalCluster, string, string>? channelUrl = null, string? recording = null, Func<string, int, string>? nodePostgres = null,
        string extra = "", bool tls = false)
    {
        var database = await PostgresDatabase.CreateAsync();
        LocalCluster? created = null;
        var options = new LocalClusterOptions
        {
            CliPath = CliPath,
            PostgresConnectionString = database.ConnectionString,
            Nodes = nodes,
            Channels = channels,
            Log = line => Write(output, line),
            ChannelUrl = channelUrl is null ? null : id => channelUrl(created!, id),
            NodePostgres = nodePostgres is null ? null : node => nodePostgres(database.ConnectionString, node),
            Extra = extra,
            Tls = tls,
        };
        created = await LocalCluster.CreateAsync(recording is null ? options : options with { Recording = recording });
        var scene = new ClusterScene(database, created, output);
        await created.StartSpreadAsync(Math.Max(1, channels / nodes / 2), TimeSpan.FromSeconds(120));
        scene.Say("spread before the broadcast: " + created.DescribeHosted());
        return scene;
    }

    /// <summary>
    /// Waits until the shard coordinator, after <paramref name="since"/> (a node joined), has weighed a rebalance and kept
    /// recording channels where they are: its "waits for broadcasts to end" line, printed by the oldest node whenever
    /// what it keeps in place changes.
    /// </summary>
    public Task RebalanceDeferredAsync(DateTimeOffset since, TimeSpan timeout) => Watch.WaitUntilAsync(
        () => Lab.Running.Any(n => n.Output.Any(o => o.At >= since && o.Line.Contains(DeferredLine, StringComparison.Ordinal))),
        timeout, () => "the coordinator to keep recording channels in place after the join: " + Lab.DescribeHosted());

    /// <summary>What <see cref="Host.Channels.QuietRebalanceStrategy"/> logs when it leaves busy shards where they are.</summary>
    public const string DeferredLine = "Rebalance waits for broadcasts to end";

    /// <summary>
    /// Waits until every channel is recorded (by one node each), every running node records at least <paramref name="each"/>,
    /// and the placement has not changed for <see cref="Settle"/>: the coordinator is done rebalancing (it looks every 2 s),
    /// so what a spec does next does not race a shard being handed off.
    /// </summary>
    public async Task AllRecordingAsync(int each, TimeSpan timeout)
    {
        IReadOnlyDictionary<string, int>? seen = null;
        var since = DateTimeOffset.MinValue;
        await Watch.WaitUntilAsync(() =>
        {
            var placement = Watch.Placement;
            if (placement.Count != Lab.ChannelIds.Count || !Lab.Running.All(n => placement.Count(p => p.Value == n.Index) >= each))
            {
                seen = null;
                return false;
            }
            if (seen is null || seen.Count != placement.Count || seen.Any(p => !placement.TryGetValue(p.Key, out var node) || node != p.Value))
            {
                (seen, since) = (placement, TimeProvider.System.GetUtcNow());
            }
            return TimeProvider.System.GetUtcNow() - since >= Settle;
        }, timeout, () => $"all {Lab.ChannelIds.Count} channels recording, at least {each} on each node, unmoved for {Settle.TotalSeconds:0} s; now {Describe()}");
    }

    /// <summary>How long a placement must hold to count as settled: three of the coordinator's rebalance rounds.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);

    /// <summary>"node 1: ch01 ch04 | node 2: ..." for messages.</summary>
    public string Describe() => string.Join(" | ", Lab.Nodes.Select(n => $"node {n.Index}{(n.IsRunning ? "" : " (down)")}: {string.Join(' ', Watch.ChannelsOn(n.Index))}"));

    public void Say(string line) => Write(_output, $"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} spec: {line}");

    private static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // a node printing after the spec ended
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        await Database.DisposeAsync();
    }
}
