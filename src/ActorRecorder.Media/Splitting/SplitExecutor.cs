namespace ActorRecorder.Media.Splitting;

/// <summary>
/// Cuts every part of a plan and checks each against the size limit: a part that came out too big (a
/// keyframe far from the planned cut, a bitrate spike) is planned again in two halves and cut again,
/// until every part fits. Part numbers follow the final order.
/// </summary>
public sealed class SplitExecutor(PartCutter cutter)
{
    public async Task<IReadOnlyList<CutPart>> CutAllAsync(SplitPlan plan, SplitOptions options, string outputDirectory, PartFormat format,
        CancellationToken cancellationToken = default)
    {
        PartCutter.RemoveStrays(outputDirectory);
        var pending = new Queue<PlannedPart>(plan.Parts);
        var done = new List<CutPart>();
        var number = 0;
        while (pending.TryDequeue(out var part))
        {
            var numbered = part with { Number = ++number };
            var cut = await cutter.CutAsync(numbered, outputDirectory, format, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (cut.Bytes <= options.MaxPartBytes)
            {
                done.Add(cut);
                continue;
            }
            if (numbered.Duration <= TimeSpan.FromSeconds(2))
            {
                throw new InvalidOperationException(
                    $"part {numbered.Number} is {cut.Bytes} bytes in {numbered.Duration.TotalSeconds:0.#} s: it cannot be cut under {options.MaxPartBytes} bytes without re-encoding");
            }
            // Too big: cut it again as two halves; the halves go first, in order, and later parts are renumbered.
            File.Delete(cut.Path);
            if (cut.ThumbnailPath is not null)
            {
                File.Delete(cut.ThumbnailPath);
            }
            number--;
            var remaining = pending.ToList();
            pending.Clear();
            foreach (var half in Halve(numbered))
            {
                pending.Enqueue(half);
            }
            foreach (var later in remaining)
            {
                pending.Enqueue(later);
            }
            DeleteLaterParts(outputDirectory, number + 1);
        }
        return done;
    }

    private static IEnumerable<PlannedPart> Halve(PlannedPart part)
    {
        var middle = part.Duration / 2;
        var first = new List<PartSource>();
        var second = new List<PartSource>();
        var elapsed = TimeSpan.Zero;
        foreach (var source in part.Sources)
        {
            if (elapsed + source.Duration <= middle)
            {
                first.Add(source);
            }
            else if (elapsed >= middle)
            {
                second.Add(source);
            }
            else
            {
                var cut = source.InPoint + (middle - elapsed);
                first.Add(source with { OutPoint = cut, WholeFile = false });
                second.Add(source with { InPoint = cut, WholeFile = false });
            }
            elapsed += source.Duration;
        }
        var half = part.EstimatedBytes / 2;
        yield return new PlannedPart(part.Number, first, part.Start, TimeSpan.FromTicks(first.Sum(s => s.Duration.Ticks)), half);
        yield return new PlannedPart(part.Number + 1, second, part.Start + middle, TimeSpan.FromTicks(second.Sum(s => s.Duration.Ticks)), half);
    }

    /// <summary>Parts numbered from <paramref name="from"/> on were cut for an older numbering: remove them so they are cut again.</summary>
    internal static void DeleteLaterParts(string outputDirectory, int from)
    {
        foreach (var path in Directory.EnumerateFiles(outputDirectory, "part-*"))
        {
            if (PartFileName.TryParse(path, out var n, out _) && n >= from)
            {
                File.Delete(path);
            }
        }
    }
}
