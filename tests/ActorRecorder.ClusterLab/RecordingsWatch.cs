using System.Collections.Concurrent;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.ClusterLab;

/// <summary>A segment file in the shared recordings folder: when it first appeared (seen by the watch) and when it was last written.</summary>
public sealed record SegmentFile(string Channel, string Session, int Attempt, int Number, string Path, DateTimeOffset FirstSeen)
{
    /// <summary>The file's modification time now (the time it was first seen if it is gone): when the last byte was written to it.</summary>
    public DateTimeOffset LastWrite => File.Exists(CurrentPath) ? new(File.GetLastWriteTimeUtc(CurrentPath), TimeSpan.Zero) : FirstSeen;

    /// <summary>Where the file is now: a partial segment a node could not keep is renamed to <c>….discarded</c>, its times kept.</summary>
    public string CurrentPath => File.Exists(Path) || !File.Exists(Path + ".discarded") ? Path : Path + ".discarded";

    /// <summary>When ffmpeg created the file: its birth time (ext4, xfs, tmpfs keep one), never later than when the watch saw it.</summary>
    public DateTimeOffset Created
    {
        get
        {
            if (!File.Exists(CurrentPath))
            {
                return FirstSeen;
            }
            var birth = new DateTimeOffset(File.GetCreationTimeUtc(CurrentPath), TimeSpan.Zero);
            return birth < FirstSeen ? birth : FirstSeen;
        }
    }
}

/// <summary>Two nodes ran an ffmpeg for one channel at the same moment.</summary>
public sealed record Conflict(DateTimeOffset At, string Channel, IReadOnlyList<int> Nodes);

/// <summary>
/// Where a channel's recording moved from one node to another: the last write of the old node's attempt and the
/// creation of the new node's first segment. <see cref="Overlap"/> is positive when both recorded at once.
/// </summary>
public sealed record Handover(string Channel, string Session, int FromNode, int FromAttempt, DateTimeOffset LastWrite, int ToNode, int ToAttempt,
    DateTimeOffset NextStarted)
{
    public TimeSpan Overlap => LastWrite - NextStarted;
}

/// <summary>An attempt's ffmpeg as the watch saw it running: on which node, from when to when.</summary>
public sealed record AttemptRun(string Channel, string Session, int Attempt, int Node, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>
/// Watches the recordings folder and the nodes' ffmpeg processes from outside, as an operator would: every few hundred
/// milliseconds it lists the session folders (noting when each segment file first appears) and reads /proc for the
/// ffmpeg children of each node (which node records which channel's attempt). Everything it says comes from the
/// file system and the kernel, never from the nodes themselves.
/// </summary>
public sealed class RecordingsWatch : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly string _root;
    private readonly Func<IReadOnlyList<LabNode>> _nodes;
    private readonly ConcurrentDictionary<string, SegmentFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, string Session, int Attempt), AttemptRun> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _looking = new();
    private readonly Task _polling;
    private readonly ConcurrentQueue<Conflict> _conflicts = new();
    private volatile IReadOnlyDictionary<string, int> _placement = new Dictionary<string, int>();

    internal RecordingsWatch(string root, Func<IReadOnlyList<LabNode>> nodes)
    {
        _root = root;
        _nodes = nodes;
        _polling = PollAsync();
    }

    /// <summary>Which node (by index) runs an ffmpeg for each channel, as of the last look.</summary>
    public IReadOnlyDictionary<string, int> Placement => _placement;

    /// <summary>Every moment two nodes were seen recording one channel.</summary>
    public IReadOnlyList<Conflict> Conflicts => [.. _conflicts];

    /// <summary>The channels each node records, as of the last look.</summary>
    public IReadOnlyList<string> ChannelsOn(int node) => _placement.Where(p => p.Value == node).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every move of a channel's recording from one node to another: consecutive attempts of a session recorded by
    /// different nodes (attempts whose ffmpeg was never seen, or that left no file, are skipped).
    /// </summary>
    public IReadOnlyList<Handover> Handovers(string channel)
    {
        var attempts = Attempts(channel).ToDictionary(a => (a.Session, a.Attempt));
        var files = Segments(channel).Where(f => attempts.ContainsKey((f.Session, f.Attempt))).GroupBy(f => (f.Session, f.Attempt)).ToList();
        var handovers = new List<Handover>();
        for (var i = 1; i < files.Count; i++)
        {
            var (before, after) = (files[i - 1], files[i]);
            var (from, to) = (attempts[before.Key], attempts[after.Key]);
            if (before.Key.Session == after.Key.Session && from.Node != to.Node)
            {
                handovers.Add(new Handover(channel, after.Key.Session, from.Node, from.Attempt, before.Max(f => f.LastWrite), to.Node, to.Attempt,
                    after.Min(f => f.Created)));
            }
        }
        return handovers;
    }

    /// <summary>The channel's segment files, in recording order.</summary>
    public IReadOnlyList<SegmentFile> Segments(string channel) =>
        _files.Values.Where(f => f.Channel == channel).OrderBy(f => f.Session, StringComparer.Ordinal).ThenBy(f => f.Attempt).ThenBy(f => f.Number).ToList();

    /// <summary>The channel's attempts whose ffmpeg was seen running, in order.</summary>
    public IReadOnlyList<AttemptRun> Attempts(string channel) =>
        _attempts.Values.Where(a => a.Channel == channel).OrderBy(a => a.FirstSeen).ToList();

    /// <summary>Polls (at the watch's pace) until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what()}");
            }
            await Task.Delay(Interval);
        }
    }

    /// <summary>Looks once, now (the polling loop does the same every <see cref="Interval"/>).</summary>
    public void Look()
    {
        lock (_looking)
        {
            LookAtProcesses();
            LookAtFiles();
        }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Look();
            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void LookAtProcesses()
    {
        var now = TimeProvider.System.GetUtcNow();
        var nodes = _nodes().Select(n => (n.Index, n.Pid)).Where(n => n.Pid is not null).ToList();
        var placement = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var ffmpeg in ProcessStats.Named("ffmpeg"))
        {
            var node = nodes.FirstOrDefault(n => n.Pid == ffmpeg.ParentPid).Index;
            if (node == 0 || ffmpeg.Arguments.Count == 0 || Parse(ffmpeg.Arguments[^1]) is not { } segment)
            {
                continue;
            }
            if (placement.TryGetValue(segment.Channel, out var other) && other != node)
            {
                _conflicts.Enqueue(new Conflict(now, segment.Channel, [other, node]));
            }
            placement[segment.Channel] = node;
            _attempts.AddOrUpdate((segment.Channel, segment.Session, segment.Attempt),
                key => new AttemptRun(key.Channel, key.Session, key.Attempt, node, now, now),
                (_, run) => run with { LastSeen = now });
        }
        _placement = placement;
    }

    private void LookAtFiles()
    {
        var now = TimeProvider.System.GetUtcNow();
        foreach (var file in Directory.EnumerateFiles(_root, "a*", SearchOption.AllDirectories))
        {
            if (!_files.ContainsKey(file) && Parse(file) is { } segment && !file.EndsWith(".discarded", StringComparison.Ordinal)
                && !file.EndsWith(".csv", StringComparison.Ordinal))
            {
                _files.TryAdd(file, new SegmentFile(segment.Channel, segment.Session, segment.Attempt, segment.Number, file, now));
            }
        }
    }

    /// <summary>Channel, session and attempt (and number) of a path below the root: <c>root/channel/session/a003-00012.ts</c>.</summary>
    private (string Channel, string Session, int Attempt, int Number)? Parse(string path)
    {
        if (!path.StartsWith(_root + "/", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = path[(_root.Length + 1)..].Split('/');
        return parts.Length == 3 && SegmentFileName.TryParse(parts[2].Replace("%05d", "0", StringComparison.Ordinal), out var attempt, out var number)
            ? (parts[0], parts[1], attempt, number)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }
}
