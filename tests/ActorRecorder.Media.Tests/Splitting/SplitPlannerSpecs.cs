using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Media.Tests.Splitting;

public sealed class SplitPlannerSpecs
{
    private const long MB = 1024 * 1024;
    private static readonly SplitOptions Options = new(MaxPartBytes: 100 * MB, MinSegmentDuration: TimeSpan.FromSeconds(1), Headroom: 0.9);

    private static ProbedSegment Segment(string name, double seconds, long bytes, string? hash = null) =>
        new($"/rec/{name}.ts", TimeSpan.FromSeconds(seconds), bytes, hash ?? name);

    [Fact]
    public void Whole_segments_must_be_packed_into_parts_under_the_target_in_order()
    {
        var segments = Enumerable.Range(0, 10).Select(i => Segment($"s{i}", 60, 20 * MB)).ToList();
        var plan = SplitPlanner.Plan(segments, Options);
        Assert.Equal([1, 2, 3], plan.Parts.Select(p => p.Number));
        Assert.Equal([4, 4, 2], plan.Parts.Select(p => p.Sources.Count));
        Assert.All(plan.Parts, p => Assert.True(p.EstimatedBytes <= Options.TargetBytes));
        Assert.Equal(TimeSpan.FromMinutes(10), plan.TotalDuration);
        Assert.Equal(TimeSpan.FromMinutes(4), plan.Parts[1].Start);
        Assert.Equal(segments.Select(s => s.Path), plan.Parts.SelectMany(p => p.Sources).Select(s => s.Path));
    }

    [Fact]
    public void A_segment_bigger_than_the_target_must_be_cut_by_time_into_equal_pieces()
    {
        var plan = SplitPlanner.Plan([Segment("small", 10, 10 * MB), Segment("huge", 600, 250 * MB), Segment("tail", 10, 10 * MB)], Options);
        Assert.Equal(5, plan.Parts.Count);
        Assert.Equal("/rec/small.ts", Assert.Single(plan.Parts[0].Sources).Path);
        var pieces = plan.Parts.Skip(1).Take(3).Select(p => Assert.Single(p.Sources)).ToList();
        Assert.All(pieces, s => Assert.Equal("/rec/huge.ts", s.Path));
        Assert.Equal([0.0, 200, 400], pieces.Select(s => s.InPoint.TotalSeconds));
        Assert.Equal([200.0, 400, 600], pieces.Select(s => s.OutPoint.TotalSeconds));
        Assert.All(plan.Parts, p => Assert.True(p.EstimatedBytes <= Options.TargetBytes));
        Assert.Equal(TimeSpan.FromSeconds(620), plan.TotalDuration);
    }

    [Fact]
    public void Phantom_segments_must_be_dropped_with_the_reason()
    {
        var plan = SplitPlanner.Plan(
        [
            Segment("a", 60, 20 * MB),
            Segment("repeat", 60, 20 * MB, hash: "a"),
            Segment("stub", 0.4, 100_000),
            new ProbedSegment("/rec/broken.ts", null, 5000, "broken"),
            Segment("b", 60, 20 * MB),
        ], Options);
        Assert.Equal(["/rec/a.ts", "/rec/b.ts"], plan.Parts.SelectMany(p => p.Sources).Select(s => s.Path));
        Assert.Equal(3, plan.Dropped.Count);
        Assert.Contains("duplicate of the previous segment (a.ts)", plan.Dropped[0].Reason);
        Assert.Contains("shorter than the minimum", plan.Dropped[1].Reason);
        Assert.Contains("unplayable", plan.Dropped[2].Reason);
    }

    [Fact]
    public void The_same_input_must_always_give_the_same_plan()
    {
        var segments = Enumerable.Range(0, 7).Select(i => Segment($"s{i}", 30 + i, (15 + i) * MB)).Append(Segment("big", 300, 180 * MB)).ToList();
        var first = SplitPlanner.Plan(segments, Options);
        var second = SplitPlanner.Plan(segments.ToList(), Options);
        Assert.Equal(first.Parts.Count, second.Parts.Count);
        Assert.True(first.Parts.Zip(second.Parts).All(p => p.First.Sources.SequenceEqual(p.Second.Sources) && p.First.Start == p.Second.Start));
    }

    [Fact]
    public void An_empty_session_must_give_no_parts()
    {
        var plan = SplitPlanner.Plan([], Options);
        Assert.Empty(plan.Parts);
        Assert.Empty(plan.Dropped);
    }
}
