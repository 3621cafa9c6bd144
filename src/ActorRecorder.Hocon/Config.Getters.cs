using System.Globalization;

namespace ActorRecorder.Hocon;

public sealed partial class Config
{
    public string GetString(string path) => ToStringValue(Require(path), path);

    public string GetString(string path, string defaultValue) =>
        Optional(path) is { } value ? ToStringValue(value, path) : defaultValue;

    /// <summary>true/yes/on and false/no/off, as booleans or strings.</summary>
    public bool GetBoolean(string path) => ToBoolean(Require(path), path);

    public bool GetBoolean(string path, bool defaultValue) =>
        Optional(path) is { } value ? ToBoolean(value, path) : defaultValue;

    public int GetInt(string path) => ToInt(Require(path), path);

    public int GetInt(string path, int defaultValue) =>
        Optional(path) is { } value ? ToInt(value, path) : defaultValue;

    public long GetLong(string path) => ToLong(Require(path), path);

    public long GetLong(string path, long defaultValue) =>
        Optional(path) is { } value ? ToLong(value, path) : defaultValue;

    public double GetDouble(string path) => ToDouble(Require(path), path);

    public double GetDouble(string path, double defaultValue) =>
        Optional(path) is { } value ? ToDouble(value, path) : defaultValue;

    public IReadOnlyList<string> GetStringList(string path) =>
        RequireList(path).Select(item => ToStringValue(item, path)).ToList();

    public IReadOnlyList<string> GetStringList(string path, IReadOnlyList<string> defaultValue) =>
        Optional(path) is { } value ? AsList(value, path).Select(item => ToStringValue(item, path)).ToList() : defaultValue;

    private ConfigList RequireList(string path) => AsList(Require(path), path);

    /// <summary>A list, or an object with numeric keys read as one (spec, "numerically-indexed objects").</summary>
    private static ConfigList AsList(ConfigValue value, string path) => value switch
    {
        ConfigList list => list,
        ConfigObject obj when NumericIndex.ToList(obj) is { } list => list,
        _ => throw WrongType(value, path, "a list"),
    };

    private static string ToStringValue(ConfigValue value, string path) => value switch
    {
        ConfigString s => s.Value,
        ConfigNumber n => n.Text,
        ConfigBoolean b => b.Value ? "true" : "false",
        _ => throw WrongType(value, path, "a string"),
    };

    private static bool ToBoolean(ConfigValue value, string path) => value switch
    {
        ConfigBoolean b => b.Value,
        ConfigString { Value: "true" or "yes" or "on" } => true,
        ConfigString { Value: "false" or "no" or "off" } => false,
        _ => throw WrongType(value, path, "a boolean (true/yes/on or false/no/off)"),
    };

    private static int ToInt(ConfigValue value, string path)
    {
        var number = ToLong(value, path, "an integer (32-bit)");
        return number is >= int.MinValue and <= int.MaxValue ? (int)number : throw WrongType(value, path, "an integer (32-bit)");
    }

    private static long ToLong(ConfigValue value, string path, string expected = "an integer")
    {
        var number = AsNumber(value) ?? throw WrongType(value, path, expected);
        return number.TryGetInt64(out var result) ? result : throw WrongType(value, path, expected);
    }

    private static double ToDouble(ConfigValue value, string path)
    {
        var number = AsNumber(value) ?? throw WrongType(value, path, "a number");
        return number.ToDouble();
    }

    /// <summary>Numbers, and strings that are JSON numbers (spec, "Automatic type conversions").</summary>
    private static ConfigNumber? AsNumber(ConfigValue value) => value switch
    {
        ConfigNumber n => n,
        ConfigString s when double.TryParse(s.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && !s.Value.Trim().Any(c => char.IsAsciiLetter(c) && c is not ('e' or 'E')) => new ConfigNumber(s.Value.Trim(), s.Origin),
        _ => null,
    };
}
