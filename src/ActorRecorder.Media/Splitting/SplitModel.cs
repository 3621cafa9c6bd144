namespace ActorRecorder.Media.Splitting;

/// <summary>A recorded segment as the planner sees it (after probing).</summary>
/// <param name="Path">The segment file.</param>
/// <param name="Duration">Its media duration (from ffprobe), or null when it could not be probed.</param>
/// <param name="Bytes">Its size on disk.</param>
/// <param name="ContentHash">A hash of its content (duplicates of the previous segment have the same one).</param>
/// <param name="StartTime">The file's first timestamp (cut points are in the file's own timestamps).</param>
public sealed record ProbedSegment(string Path, TimeSpan? Duration, long Bytes, string ContentHash, TimeSpan StartTime = default);

/// <summary>A segment left out of the session, and why.</summary>
public sealed record DroppedSegment(string Path, string Reason);

/// <summary>
/// A stretch of one segment that goes into a part: [<paramref name="InPoint"/>, <paramref name="OutPoint"/>) in the
/// file's own timestamps; <paramref name="WholeFile"/> when it is the whole segment (then no cut is made in it).
/// </summary>
public sealed record PartSource(string Path, TimeSpan InPoint, TimeSpan OutPoint, bool WholeFile = false)
{
    public TimeSpan Duration => OutPoint - InPoint;
}

/// <summary>One part to cut: numbered from 1, in session order, expected to stay under the size limit.</summary>
public sealed record PlannedPart(int Number, IReadOnlyList<PartSource> Sources, TimeSpan Start, TimeSpan Duration, long EstimatedBytes);

/// <summary>How a session is cut: the parts in order and the segments left out.</summary>
public sealed record SplitPlan(IReadOnlyList<PlannedPart> Parts, IReadOnlyList<DroppedSegment> Dropped)
{
    public TimeSpan TotalDuration => TimeSpan.FromTicks(Parts.Sum(p => p.Duration.Ticks));
}

/// <summary>Limits of a split.</summary>
/// <param name="MaxPartBytes">The strictest upload target's limit for one file.</param>
/// <param name="MinSegmentDuration">Shorter segments are phantoms (a reconnect's stub) and are dropped.</param>
/// <param name="Headroom">Fraction of <paramref name="MaxPartBytes"/> a part is planned to (the remux adds a little).</param>
public sealed record SplitOptions(long MaxPartBytes, TimeSpan MinSegmentDuration, double Headroom = 0.95)
{
    public long TargetBytes => (long)(MaxPartBytes * Headroom);
}
