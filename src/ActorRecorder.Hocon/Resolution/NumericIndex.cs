using System.Globalization;

namespace ActorRecorder.Hocon;

/// <summary>
/// Spec, "Conversion of numerically-indexed objects to arrays": <c>{ "0": a, "2": b }</c> reads as
/// <c>[a, b]</c> where a list is expected (typically from a .properties file).
/// </summary>
internal static class NumericIndex
{
    public static ConfigList? ToList(ConfigObject obj)
    {
        var indexed = new List<(int Index, ConfigValue Value)>();
        foreach (var (key, value) in obj)
        {
            if (key.Length > 0 && key.All(char.IsAsciiDigit)
                && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indexed.Add((index, value));
            }
        }

        if (indexed.Count == 0)
        {
            return null;
        }

        return new ConfigList(indexed.OrderBy(e => e.Index).Select(e => e.Value), obj.Origin);
    }
}
