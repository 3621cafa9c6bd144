using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorRecorder.Media.Internal;

/// <summary>
/// What the numbered file names (segments, parts) share: numbers are read at any width and names are ordered
/// by what they parse to, never as strings (<c>a1000</c> after <c>a999</c>, <c>part-100</c> after <c>part-99</c>).
/// </summary>
internal static class NumberedFileNames
{
    public delegate bool Parser<TKey>(string? fileName, out TKey key);

    /// <summary>The match of <paramref name="pattern"/> on the file name of <paramref name="path"/> (a name or a path); null when none.</summary>
    public static Match? Match(Regex pattern, string? path) =>
        path is not null && pattern.Match(Path.GetFileName(path)) is { Success: true } match ? match : null;

    /// <summary>The decimal number a group holds (digits only; false past <see cref="int.MaxValue"/>).</summary>
    public static bool TryNumber(Group group, out int number) =>
        int.TryParse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out number);

    /// <summary>Names that parse first, by <paramref name="compare"/>; then the others; ties broken ordinally, so the order is total.</summary>
    public static IComparer<string> OrderBy<TKey>(Parser<TKey> parse, Comparison<TKey> compare) => Comparer<string>.Create((x, y) =>
    {
        var xParsed = parse(x, out var xKey);
        var yParsed = parse(y, out var yKey);
        var order = xParsed != yParsed ? (xParsed ? -1 : 1) : xParsed ? compare(xKey, yKey) : 0;
        return order != 0 ? order : string.CompareOrdinal(x, y);
    });
}
