using System.Globalization;
using System.Text.RegularExpressions;
using ActorRecorder.Media.Internal;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>
/// Names of recorded segments: <c>a{attempt:000}-{number:00000}.{ext}</c> (the prefix is
/// <see cref="RecordingRequest.FilePrefix"/>, the number ffmpeg's <c>%05d</c>). The widths are minimums: attempt
/// 1000 writes <c>a1000-…</c> and segment 100000 is <c>…-100000.ts</c>, so names are parsed without fixed widths
/// and ordered by their numbers, never as strings.
/// </summary>
public static partial class SegmentFileName
{
    /// <summary>The file prefix of an attempt's segments: <c>a001</c>, <c>a1000</c>.</summary>
    public static string Prefix(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        return "a" + attempt.ToString("000", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Reads the attempt and segment number from a file name or path (<c>a001-00042.ts</c>). Only the name up to
    /// its first dot is read: the extension (and a <c>.discarded</c> after it) is the caller's to filter.
    /// </summary>
    public static bool TryParse(string? fileName, out int attempt, out int number)
    {
        attempt = number = 0;
        return NumberedFileNames.Match(Pattern(), fileName) is { } match
            && NumberedFileNames.TryNumber(match.Groups[1], out attempt)
            && NumberedFileNames.TryNumber(match.Groups[2], out number);
    }

    /// <summary>Orders file names or paths by attempt, then segment number; names that do not parse come last, in ordinal order.</summary>
    public static IComparer<string> Comparer { get; } = NumberedFileNames.OrderBy<(int Attempt, int Number)>(
        (string? name, out (int Attempt, int Number) key) => TryParse(name, out key.Attempt, out key.Number),
        (x, y) => x.CompareTo(y));

    [GeneratedRegex(@"^a([0-9]{1,9})-([0-9]{1,9})(?:\.|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
