using System.Net;
using System.Net.Sockets;
using ActorRecorder.Media.Synthetic;

namespace ActorRecorder.ClusterLab;

/// <summary>What a <see cref="LocalCluster"/> runs.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>The node executable (<c>actorrecorder.dll</c>).</summary>
    public required string CliPath { get; init; }

    /// <summary>The cluster's PostgreSQL database (journal, snapshots, sharding state, leases).</summary>
    public required string PostgresConnectionString { get; init; }

    /// <summary>How node N (from 1) reaches the database, when not by <see cref="PostgresConnectionString"/> (e.g. through a relay of its own).</summary>
    public Func<int, string>? NodePostgres { get; init; }

    /// <summary>The nodes the cluster starts with; all of them are its seed nodes.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Channels ch01, ch02, ... all recording the lab's synthetic live source (unless <see cref="ChannelUrl"/>).</summary>
    public int Channels { get; init; } = 12;

    /// <summary>A channel's URL by its id; null: the lab's synthetic live source for every channel.</summary>
    public Func<string, string>? ChannelUrl { get; init; }

    /// <summary>Settings inside <c>actor-recorder.recording { }</c> (the output directory is the lab's).</summary>
    public string Recording { get; init; } = "poll-interval = 1s, segment-duration = 2s, grace-period = 60s, stall-timeout = 10s";

    /// <summary>Mutual TLS on the cluster port: a CA in the lab's folder and a certificate per node (as a deployment has).</summary>
    public bool Tls { get; init; }

    /// <summary>More HOCON inside <c>actor-recorder { }</c> (e.g. a cluster { } block with other timings).</summary>
    public string Extra { get; init; } = "";

    /// <summary>Gets every line the nodes print, prefixed with "node N: ".</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// A cluster of real recorder nodes on one machine: one PostgreSQL database, nodes as processes on loopback ports, one
/// recordings folder they all write to (as an NFS mount or a docker volume would be), a synthetic live source (ffmpeg
/// encoding a test pattern to HLS on 127.0.0.1) that every channel records, and a <see cref="RecordingsWatch"/> that
/// sees which node records which channel and when each segment file appeared and was last written.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private readonly List<LabNode> _nodes = [];
    private readonly IReadOnlyList<int> _seedPorts;

    private LocalCluster(LocalClusterOptions options, SyntheticLiveSource source)
    {
        _options = options;
        Source = source;
        Root = Path.Combine(Path.GetTempPath(), "ar-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        RecordingsDir = Path.Combine(Root, "recordings");
        Directory.CreateDirectory(RecordingsDir);
        var digits = Math.Max(2, options.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        ChannelIds = Enumerable.Range(1, options.Channels).Select(i => "ch" + i.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        _seedPorts = Enumerable.Range(0, options.Nodes).Select(_ => FreePort()).ToList();
        foreach (var port in _seedPorts)
        {
            AddNode(port);
        }
        Watch = new RecordingsWatch(RecordingsDir, () => _nodes);
    }

    public string Root { get; }

    /// <summary>The folder every node records into.</summary>
    public string RecordingsDir { get; }

    public SyntheticLiveSource Source { get; }

    public IReadOnlyList<string> ChannelIds { get; }

    public IReadOnlyList<LabNode> Nodes => _nodes;

    public RecordingsWatch Watch { get; }

    /// <summary>
    /// Starts the live source's server, not yet live (the nodes and the broadcast are started by the caller:
    /// <see cref="StartSpreadAsync"/>, or <see cref="StartAll"/> and the source's GoLiveAsync).
    /// </summary>
    public static Task<LocalCluster> CreateAsync(LocalClusterOptions options) =>
        Task.FromResult(new LocalCluster(options, SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180, VideoBitrate = 200_000 })));

    /// <summary>How long a placement of channels must hold to count as settled: three of the coordinator's rebalance rounds.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Starts every node while the source is offline, waits until every channel runs on one node, each running node
    /// hosts at least <paramref name="each"/> and the placement held for <see cref="Settle"/> (the coordinator moves idle
    /// channels to even out the nodes, recording ones never), then takes the source live: every node records its share,
    /// however far apart the nodes came up.
    /// </summary>
    public async Task StartSpreadAsync(int each, TimeSpan timeout)
    {
        StartAll();
        string? seen = null;
        var since = DateTimeOffset.MinValue;
        await Watch.WaitUntilAsync(() =>
        {
            var hosted = Running.Select(n => n.ChannelsHosted).ToList();
            var placed = hosted.SelectMany(h => h).ToList();
            if (placed.Count != ChannelIds.Count || placed.Distinct(StringComparer.Ordinal).Count() != ChannelIds.Count || hosted.Any(h => h.Count < each))
            {
                seen = null;
                return false;
            }
            var text = DescribeHosted();
            if (text != seen)
            {
                (seen, since) = (text, TimeProvider.System.GetUtcNow());
            }
            return TimeProvider.System.GetUtcNow() - since >= Settle;
        }, timeout, () => $"every channel placed once, at least {each} on each node, unmoved for {Settle.TotalSeconds:0} s; now {DescribeHosted()}");
        await Source.GoLiveAsync();
    }

    /// <summary>"node 1: ch01 ch04 | node 2: ..." of the channels each node hosts, recording or not.</summary>
    public string DescribeHosted() =>
        string.Join(" | ", _nodes.Select(n => $"node {n.Index}{(n.IsRunning ? "" : " (down)")}: {string.Join(' ', n.ChannelsHosted.Order(StringComparer.Ordinal))}"));

    /// <summary>Starts every node that is not running.</summary>
    public void StartAll()
    {
        foreach (var node in _nodes.Where(n => !n.IsRunning))
        {
            node.Start();
        }
    }

    /// <summary>A new node joining through the seed nodes (not started).</summary>
    public LabNode AddNode() => AddNode(FreePort());

    /// <summary>The running nodes.</summary>
    public IReadOnlyList<LabNode> Running => _nodes.Where(n => n.IsRunning).ToList();

    private LabNode AddNode(int port)
    {
        var index = _nodes.Count + 1;
        var directory = Path.Combine(Root, $"node-{index}");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "node.conf");
        File.WriteAllText(config, Config(index, port));
        var node = new LabNode(index, port, config, _options.CliPath, _options.Log);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// A node's configuration: the same channels and cluster on every node, its own port and data folder. Every path a
    /// channel's settings hold is absolute, as in any cluster: a channel's settings travel with the cluster's list.
    /// </summary>
    private string Config(int index, int port)
    {
        var seeds = string.Join(", ", _seedPorts.Select(p => $"\"127.0.0.1:{p}\""));
        var tls = "";
        if (_options.Tls)
        {
            var folder = Path.Combine(Root, "tls");
            Engine.Settings.ClusterCertificates.Create(folder, [$"node-{index}"], TimeSpan.FromDays(1)); // the CA is made once, then reused
            tls = $$"""tls { enabled = on, certificate = "{{folder}}/node-{{index}}.pem", private-key = "{{folder}}/node-{{index}}-key.pem", ca = "{{folder}}/ca.pem" }""";
        }
        var channels = string.Join(",\n    ", ChannelIds.Select(id => $"{{ id = {id}, url = \"{_options.ChannelUrl?.Invoke(id) ?? Source.PlaylistUrl}\" }}"));
        return $$"""
            actor-recorder {
              node.data-dir = data
              persistence { journal = postgres, postgres.connection-string = "{{_options.NodePostgres?.Invoke(index) ?? _options.PostgresConnectionString}}" }
              cluster { seed-nodes = [{{seeds}}], hostname = "127.0.0.1", port = {{port}}, {{tls}} }
              recording { output-dir = "{{RecordingsDir}}", {{_options.Recording}} }
              upload.archive.path = "{{Path.Combine(Root, "archive")}}"
              channels = [
                {{channels}}
              ]
              {{_options.Extra}}
            }
            """;
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768 and up), so no outgoing connection of this machine takes a node's
    /// port between this check and the node binding it (a node restarted after a kill binds the same port again).
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: another
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Watch.DisposeAsync();
        await Task.WhenAll(_nodes.Select(n => n.DisposeAsync()));
        await Source.DisposeAsync();
        // Whatever a killed node left: its watchdog kills its ffmpeg within seconds, but do not wait for it.
        foreach (var ffmpeg in ProcessStats.Named("ffmpeg").Where(p => p.Arguments.Any(a => a.StartsWith(RecordingsDir, StringComparison.Ordinal))))
        {
            Media.Processes.Signals.Send(ffmpeg.Pid, Media.Processes.Signals.SigKill);
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a file still being written by a process that is dying: the temp folder is cleaned by the OS
        }
    }
}
