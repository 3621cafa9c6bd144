using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>Value concatenation (spec, "Value concatenation"): simple values join into a string, arrays append, objects merge.</summary>
internal static class Concatenator
{
    public static ConfigValue Combine(IReadOnlyList<ConfigValue> pieces, ConfigOrigin? origin, string? path)
    {
        var values = pieces.Where(p => p is not ConcatWhitespace).ToList();
        if (values.Count == 1 && pieces.Count == 1)
        {
            return values[0];
        }

        if (values.All(IsSimple))
        {
            var sb = new StringBuilder();
            foreach (var piece in pieces)
            {
                sb.Append(AsText(piece));
            }

            return new ConfigString(sb.ToString(), origin);
        }

        if (values.Any(v => v is ConfigList) && values.All(v => v is ConfigList or ConfigObject))
        {
            var items = new List<ConfigValue>();
            foreach (var value in values)
            {
                var list = value as ConfigList ?? (value is ConfigObject obj ? NumericIndex.ToList(obj) : null)
                    ?? throw new ConfigException("cannot concatenate an object with an array", value.Origin, path);
                items.AddRange(list);
            }

            return Checked(new ConfigList(items, origin), path);
        }

        if (values.All(v => v is ConfigObject))
        {
            var merged = values[0];
            for (var i = 1; i < values.Count; i++)
            {
                merged = Merger.Merge(merged, values[i]);
            }

            return Checked(merged, path);
        }

        var first = values[0];
        var odd = values.First(v => Kind(v) != Kind(first));
        throw new ConfigException(
            $"cannot concatenate {Kind(first)} with {Kind(odd)} (put them on separate lines or separate them with ',')",
            odd.Origin, path);
    }

    public static bool IsSimple(ConfigValue value) => value is ConfigString or ConfigNumber or ConfigBoolean or ConfigNull;

    /// <summary>How a simple value reads inside a string concatenation: numbers as written.</summary>
    public static string AsText(ConfigValue value) => value switch
    {
        ConfigString s => s.Value,
        ConfigNumber n => n.Text,
        ConfigBoolean b => b.Value ? "true" : "false",
        ConfigNull => "null",
        ConcatWhitespace w => w.Text,
        _ => throw new ConfigException("only simple values can be part of a string", value.Origin),
    };

    private static string Kind(ConfigValue value) => value switch
    {
        ConfigList => "an array",
        ConfigObject => "an object",
        _ => "a string (" + Quote(value) + ")",
    };

    private static string Quote(ConfigValue value) => "\"" + AsText(value) + "\"";

    private static ConfigValue Checked(ConfigValue value, string? path)
    {
        Guard.Weight(value, path);
        return value;
    }
}
