namespace ActorRecorder.Media.Splitting;

/// <summary>
/// Plans how a session's segments become upload parts. Pure and deterministic: the same segments and
/// options always give the same plan, so a splitter that crashed and runs again produces the same parts.
/// Phantom segments are dropped with a reason (unplayable, shorter than the minimum, or a byte-identical
/// repeat of the previous segment — what a reconnect that re-reads the live edge leaves). Whole segments
/// are packed into parts up to the target size; a segment bigger than the target is cut by time into
/// equal pieces (the cutter then snaps each cut to a keyframe, and re-cuts any part that ends up too big).
/// </summary>
public static class SplitPlanner
{
    public static SplitPlan Plan(IReadOnlyList<ProbedSegment> segments, SplitOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPartBytes, 1024);
        var (kept, dropped) = DropPhantoms(segments, options);
        var parts = new List<PlannedPart>();
        var current = new List<PartSource>();
        long currentBytes = 0;
        var sessionTime = TimeSpan.Zero;
        var partStart = TimeSpan.Zero;

        void Close()
        {
            if (current.Count == 0)
            {
                return;
            }
            var duration = TimeSpan.FromTicks(current.Sum(s => s.Duration.Ticks));
            parts.Add(new PlannedPart(parts.Count + 1, current.ToArray(), partStart, duration, currentBytes));
            current.Clear();
            currentBytes = 0;
            partStart = sessionTime;
        }

        foreach (var segment in kept)
        {
            var duration = segment.Duration!.Value;
            if (segment.Bytes > options.TargetBytes)
            {
                Close();
                var pieces = (int)Math.Ceiling(segment.Bytes / (double)options.TargetBytes);
                for (var i = 0; i < pieces; i++)
                {
                    var from = duration * i / pieces;
                    var to = i == pieces - 1 ? duration : duration * (i + 1) / pieces;
                    current.Add(new PartSource(segment.Path, segment.StartTime + from, segment.StartTime + to));
                    currentBytes = (long)(segment.Bytes * ((to - from) / duration));
                    sessionTime += to - from;
                    Close();
                }
                continue;
            }
            if (currentBytes + segment.Bytes > options.TargetBytes)
            {
                Close();
            }
            current.Add(new PartSource(segment.Path, segment.StartTime, segment.StartTime + duration, WholeFile: true));
            currentBytes += segment.Bytes;
            sessionTime += duration;
        }
        Close();
        return new SplitPlan(parts, dropped);
    }

    private static (List<ProbedSegment> Kept, List<DroppedSegment> Dropped) DropPhantoms(
        IReadOnlyList<ProbedSegment> segments, SplitOptions options)
    {
        var kept = new List<ProbedSegment>();
        var dropped = new List<DroppedSegment>();
        foreach (var segment in segments)
        {
            string? reason = segment switch
            {
                { Duration: null } => "unplayable: ffprobe found no media in it",
                { Bytes: 0 } => "empty",
                _ when segment.Duration < options.MinSegmentDuration =>
                    $"shorter than the minimum segment duration ({segment.Duration!.Value.TotalSeconds:0.###} s < {options.MinSegmentDuration.TotalSeconds:0.###} s)",
                _ when kept.Count > 0 && kept[^1].ContentHash == segment.ContentHash && kept[^1].Bytes == segment.Bytes =>
                    $"a duplicate of the previous segment ({System.IO.Path.GetFileName(kept[^1].Path)})",
                _ => null,
            };
            if (reason is null)
            {
                kept.Add(segment);
            }
            else
            {
                dropped.Add(new DroppedSegment(segment.Path, reason));
            }
        }
        return (kept, dropped);
    }
}
