using System.Diagnostics;
using ActorRecorder.ClusterLab;
using ActorRecorder.Host.Channels;
using ActorRecorder.Media.Compression;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Benchmarks;

/// <summary>What the cluster does, measured from outside: which node's ffmpeg records a channel, and its files.</summary>
internal sealed class MeasuredCluster(LocalCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly ChannelMessageExtractor Shards = new(ChannelMessageExtractor.DefaultShards);

    private RecordingsWatch Watch => cluster.Watch;

    public string Describe() => string.Join(" | ", cluster.Nodes.Select(n => $"node {n.Index}: {Watch.ChannelsOn(n.Index).Count}"));

    /// <summary>Every channel recording and every running node holding its fair share of the shards, for a few seconds.</summary>
    public async Task SettledAsync()
    {
        await Watch.WaitUntilAsync(Balanced, Patience, () => "every channel recording, shards balanced: " + Describe());
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Watch.WaitUntilAsync(Balanced, Patience, () => "every channel recording, shards balanced: " + Describe());
    }

    private bool Balanced() =>
        Watch.Placement.Count == cluster.ChannelIds.Count && cluster.Running.All(n => ShardsOn(n) >= FairShare)
        // and every channel's running attempt has written a segment (a kill measures from the attempt it interrupts)
        && cluster.ChannelIds.All(c => Watch.Segments(c) is { Count: > 0 } files && Watch.Attempts(c) is { Count: > 0 } runs && files[^1].Attempt == runs[^1].Attempt && files[^1].Session == runs[^1].Session);

    private int FairShare => cluster.ChannelIds.Select(c => Shards.ShardId(c)).Distinct().Count() / cluster.Running.Count;

    private int ShardsOn(LabNode node) => Watch.ChannelsOn(node.Index).Select(c => Shards.ShardId(c)).Distinct().Count();

    /// <returns>Per moved channel, the seconds from the kill to its first segment on another node.</returns>
    public async Task<List<double>> KillAsync(LabNode victim)
    {
        var moved = Watch.ChannelsOn(victim.Index);
        var last = moved.ToDictionary(c => c, c => Watch.Segments(c)[^1]);
        var killedAt = TimeProvider.System.GetUtcNow();
        await victim.KillAsync();
        await Watch.WaitUntilAsync(() => moved.All(c => Watch.Segments(c).Any(f => Later(f, last[c]))), Patience,
            () => $"the channels of node {victim.Index} recording again: {Describe()}");
        return moved.Select(c => (Watch.Segments(c).First(f => Later(f, last[c])).Created - killedAt).TotalSeconds).ToList();
    }

    /// <returns>Per handed-off channel, the seconds between the last write on the leaving node and the first segment on the next.</returns>
    public async Task<List<double>> LeaveAsync(LabNode leaving)
    {
        var moved = Watch.ChannelsOn(leaving.Index);
        var last = moved.ToDictionary(c => c, c => Watch.Segments(c)[^1]);
        var code = await leaving.StopAsync(TimeSpan.FromSeconds(20));
        if (code != 0)
        {
            throw new InvalidOperationException($"node {leaving.Index} exited with {code} on SIGTERM");
        }
        await Watch.WaitUntilAsync(() => moved.All(c => Watch.Segments(c).Any(f => Later(f, last[c]))), Patience,
            () => $"the channels of node {leaving.Index} recording again: {Describe()}");
        return moved.Select(c => -Watch.Handovers(c).Single(h => h.Session == last[c].Session && h.FromAttempt == last[c].Attempt).Overlap.TotalSeconds).ToList();
    }

    /// <summary>
    /// Starts the node while every channel records and waits until the shard coordinator has weighed a rebalance with
    /// it (its "waits for broadcasts to end" line).
    /// </summary>
    /// <returns>The recording channels that moved to another node meanwhile: broadcasts the join interrupted (goal 0).</returns>
    public async Task<int> JoinAsync(LabNode node)
    {
        await Watch.WaitUntilAsync(() => Watch.Placement.Count == cluster.ChannelIds.Count, Patience, () => "every channel recording: " + Describe());
        var placed = new Dictionary<string, int>(Watch.Placement);
        node.Start();
        await Watch.WaitUntilAsync(
            () => cluster.Running.Any(n => n.Output.Any(o => o.At >= node.StartedAt && o.Line.Contains("Rebalance waits for broadcasts to end", StringComparison.Ordinal))),
            Patience, () => $"the coordinator to weigh a rebalance with node {node.Index}: {cluster.DescribeHosted()}");
        Watch.Look();
        var moved = placed.Count(p => Watch.Attempts(p.Key)[^1].Node != p.Value);
        Report.Note($"node {node.Index} joined while {placed.Count} channels recorded; {moved} of them moved: {Describe()}");
        return moved;
    }

    /// <summary>
    /// Ends the broadcast, waits until every session has closed (ffmpeg gone and the grace period over), and times how long
    /// the coordinator takes to even out the idle channels over the running nodes; then the broadcast begins again.
    /// </summary>
    /// <returns>Seconds from the sessions' close until every running node hosts its fair share of the shards.</returns>
    public async Task<double> RebalanceIdleAsync(TimeSpan gracePeriod)
    {
        await cluster.Source.EndAsync();
        await Watch.WaitUntilAsync(() => Watch.Placement.Count == 0, Patience, () => "every ffmpeg gone after the broadcast ended: " + Describe());
        await Task.Delay(gracePeriod + TimeSpan.FromSeconds(2)); // the sessions close when their grace period is over
        var watch = Stopwatch.StartNew();
        await Watch.WaitUntilAsync(() => cluster.Running.All(n => n.ChannelsHosted.Select(c => Shards.ShardId(c)).Distinct().Count() >= FairShare),
            TimeSpan.FromMinutes(3), () => "the idle channels evened out: " + cluster.DescribeHosted());
        var seconds = watch.Elapsed.TotalSeconds;
        Report.Note($"idle channels evened out {seconds:0.0} s after their sessions closed: {cluster.DescribeHosted()}");
        await cluster.Source.GoLiveAsync();
        await SettledAsync();
        return seconds;
    }

    /// <summary>Whether <paramref name="file"/> was recorded after <paramref name="last"/>: a later attempt of its session, or a later session (whose attempts count from 1 again).</summary>
    private static bool Later(SegmentFile file, SegmentFile last) =>
        string.CompareOrdinal(file.Session, last.Session) is var order && (order > 0 || (order == 0 && file.Attempt > last.Attempt));

    /// <summary>The running node with the most recording channels (a node that just joined may hold none).</summary>
    public LabNode Busiest() => cluster.Running.MaxBy(n => Watch.ChannelsOn(n.Index).Count)!;

    /// <returns>
    /// The largest overlap of the frozen node's recordings with their new owners' (negative: a gap), how long its ffmpeg
    /// wrote after the freeze, and the seconds from the freeze to the last of its channels' first segment elsewhere (a
    /// silent node's failover: the failure detector and the split-brain resolver, no refused connection to tell).
    /// </returns>
    public async Task<(double Overlap, double Tail, double Failover)> FreezeAsync(LabNode victim)
    {
        var moved = Watch.ChannelsOn(victim.Index);
        var last = moved.ToDictionary(c => c, c => Watch.Segments(c)[^1]);
        var frozenAt = TimeProvider.System.GetUtcNow();
        victim.Freeze();
        await Watch.WaitUntilAsync(() => moved.All(c => Watch.Segments(c).Any(f => Later(f, last[c]))), Patience,
            () => $"the channels of the frozen node {victim.Index} recording elsewhere: {Describe()}");
        var failover = moved.Max(c => (Watch.Segments(c).First(f => Later(f, last[c])).Created - frozenAt).TotalSeconds);
        await Task.Delay(TimeSpan.FromSeconds(3));
        victim.Thaw();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var overlap = moved.Max(c => Watch.Handovers(c).Single(h => h.Session == last[c].Session && h.FromAttempt == last[c].Attempt).Overlap.TotalSeconds);
        var tail = (moved.SelectMany(c => Watch.Segments(c).Where(f => !Later(f, last[c]))).Max(f => f.LastWrite) - frozenAt).TotalSeconds;
        Report.Note($"froze node {victim.Index} with {moved.Count} channels: its ffmpeg wrote until {tail:0.0} s after the freeze, overlap at most {overlap:0.00} s");
        await Watch.WaitUntilAsync(() => victim.OutputText.Contains("starting again to rejoin", StringComparison.Ordinal), Patience,
            () => "the thawed node to rejoin");
        await Watch.WaitUntilAsync(() => Watch.Placement.Count == cluster.ChannelIds.Count, Patience, () => "every channel recording: " + Describe());
        return (overlap, tail, failover);
    }

    /// <summary>
    /// The cluster records for a while, and every node compresses as it would before a Telegram upload (the recorder's own
    /// two-pass x264 encoder, nice 10 and half the cores, one encode after another of a channel's recorded segments): no
    /// node may be removed, no channel may move.
    /// </summary>
    public async Task SoakAsync(TimeSpan duration)
    {
        using var stop = new CancellationTokenSource();
        var encodes = new int[cluster.Running.Count];
        var compressing = cluster.Running.Select((node, i) => CompressLoopAsync(node, () => encodes[i]++, stop.Token)).ToList();
        var restartsBefore = cluster.Nodes.Sum(n => Rejoins(n));
        var movesBefore = cluster.ChannelIds.Sum(c => Watch.Handovers(c).Count);
        var unreachableBefore = cluster.Nodes.Sum(Unreachable);
        var pids = cluster.Running.Select(n => n.Pid!.Value).ToList();
        var cpuBefore = pids.Sum(p => ProcessStats.CpuTime(p).TotalSeconds);
        var watch = Stopwatch.StartNew();
        var load = new List<double>();
        while (watch.Elapsed < duration)
        {
            load.Add(LoadAverage());
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        await stop.CancelAsync();
        await Task.WhenAll(compressing);
        var nodesCpu = pids.Where(p => File.Exists($"/proc/{p}/stat")).Sum(p => ProcessStats.CpuTime(p).TotalSeconds) - cpuBefore;
        var removed = cluster.Nodes.Sum(n => Rejoins(n)) - restartsBefore;
        var moves = cluster.ChannelIds.Sum(c => Watch.Handovers(c).Count) - movesBefore;
        Report.Note($"soak: {duration.TotalMinutes:0} min with {cluster.ChannelIds.Count} channels recording, load average {load.Average():0.00} on "
            + $"{Environment.ProcessorCount} cores, nodes' CPU {nodesCpu / watch.Elapsed.TotalSeconds * 100:0} % of a core together, "
            + $"two-pass encodes finished per node: {string.Join(" / ", encodes)}");
        Report.Result("cluster.soak_false_downings", removed, "nodes removed");
        Report.Result("cluster.soak_channel_moves", moves, "channels moved");
        Report.Result("cluster.soak_unreachable", cluster.Nodes.Sum(Unreachable) - unreachableBefore, "unreachable marks");
        Report.Result("cluster.soak_load_average", load.Average(), "runnable threads");
    }

    /// <summary>Two-pass encodes of a channel's last 30 finished segments (about a minute), to half their size, until stopped.</summary>
    private async Task CompressLoopAsync(LabNode node, Action finished, CancellationToken stop)
    {
        var compressor = new TwoPassCompressor("ffmpeg", new Ffprobe());
        var output = Path.Combine(cluster.Root, $"soak-compress-{node.Index}.mp4");
        while (!stop.IsCancellationRequested)
        {
            // Finished, kept segments of any channel (a node that just rejoined records none of its own), the newest one
            // left out: it is still being written and ffprobe may not read it yet.
            var inputs = cluster.ChannelIds.Skip(node.Index).Concat(cluster.ChannelIds)
                .Select(c => Watch.Segments(c).SkipLast(1).TakeLast(30).Select(f => f.Path).Where(File.Exists).ToList())
                .FirstOrDefault(files => files.Count > 0);
            if (inputs is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                continue;
            }
            try
            {
                await compressor.CompressAsync(inputs, output, inputs.Sum(f => new FileInfo(f).Length) / 2, stop);
                finished();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ProcessFailedException or CompressionImpossibleException)
            {
                Report.Note($"node {node.Index}: a soak compression failed ({e.Message.Split('\n')[0]}); the next one starts");
            }
        }
    }

    private static int Rejoins(LabNode node) => Count(node, "starting again to rejoin");

    private static int Unreachable(LabNode node) => Count(node, "Marking node(s) as UNREACHABLE");

    private static int Count(LabNode node, string text) => node.Output.Count(o => o.Line.Contains(text, StringComparison.Ordinal));

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
