using System.Globalization;
using System.Text.RegularExpressions;
using ActorRecorder.Media.Internal;

namespace ActorRecorder.Media.Splitting;

/// <summary>
/// Names of upload parts: <c>part-{number:00}.{ext}</c>; a part cut again in two keeps its stem and gets a letter
/// (<c>part-05a</c>, <c>part-05b</c>, and <c>part-05aa</c> when a half is cut again). The width is a minimum: part
/// 100 is <c>part-100</c>, so names are parsed without fixed widths and ordered by number, then halves.
/// </summary>
public static partial class PartFileName
{
    /// <summary>The file name without extension of part <paramref name="number"/>: <c>part-01</c>, <c>part-100</c>.</summary>
    public static string Stem(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return "part-" + number.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads the part number and the halves' letters ("" for a whole part) from a file name or path. Only the name
    /// up to its first dot is read, so <c>part-05.mp4.jpg</c> (its thumbnail) and <c>part-05.mp4.partial</c> belong to part 5.
    /// </summary>
    public static bool TryParse(string? fileName, out int number, out string halves)
    {
        number = 0;
        var match = NumberedFileNames.Match(Pattern(), fileName);
        halves = match?.Groups[2].Value ?? "";
        return match is not null && NumberedFileNames.TryNumber(match.Groups[1], out number);
    }

    /// <summary>Orders file names or paths by part number, then halves (05 &lt; 05a &lt; 05aa &lt; 05b); names that do not parse come last.</summary>
    public static IComparer<string> Comparer { get; } = NumberedFileNames.OrderBy<(int Number, string Halves)>(
        (string? name, out (int Number, string Halves) key) => TryParse(name, out key.Number, out key.Halves),
        (x, y) => x.Number != y.Number ? x.Number.CompareTo(y.Number) : string.CompareOrdinal(x.Halves, y.Halves));

    [GeneratedRegex(@"^part-([0-9]{1,9})([a-z]*)(?:\.|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
