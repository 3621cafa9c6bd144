using System.Globalization;

namespace ActorRecorder.Hocon;

public sealed partial class Config
{
    private const string DurationExpected =
        "a duration: a number of milliseconds, a number with a unit (ns, us, ms, s, m, h, d, e.g. \"30s\"), or \"infinite\"";

    private const string SizeExpected =
        "a size in bytes: a number, or a number with a unit (B, kB, MB, GB… powers of ten; K, Ki, KiB, M, Mi, MiB… powers of two)";

    private static readonly Dictionary<string, decimal> DurationTicks = BuildDurationUnits();
    private static readonly Dictionary<string, decimal> SizeFactors = BuildSizeUnits();

    /// <summary>Spec "Duration format": a bare number is milliseconds; <c>infinite</c> is <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan GetTimeSpan(string path) => ToTimeSpan(Require(path), path);

    public TimeSpan GetTimeSpan(string path, TimeSpan defaultValue) =>
        Optional(path) is { } value ? ToTimeSpan(value, path) : defaultValue;

    /// <summary>Spec "Size in bytes format": a bare number is bytes; the result is in bytes.</summary>
    public long GetByteSize(string path) => ToByteSize(Require(path), path);

    public long GetByteSize(string path, long defaultValue) =>
        Optional(path) is { } value ? ToByteSize(value, path) : defaultValue;

    private static TimeSpan ToTimeSpan(ConfigValue value, string path)
    {
        if (value is ConfigString { Value: var text } && text.Trim() == "infinite")
        {
            return Timeout.InfiniteTimeSpan;
        }

        var (amount, unit) = ParseUnits(value, path, DurationExpected);
        if (!DurationTicks.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit))
        {
            throw new ConfigException($"unknown duration unit '{unit}'; expected {DurationExpected}", value.Origin, path);
        }

        var ticks = Multiply(amount, ticksPerUnit, value, path, "duration");
        return ticks is >= long.MinValue and <= long.MaxValue
            ? TimeSpan.FromTicks((long)ticks)
            : throw new ConfigException("duration out of range", value.Origin, path);
    }

    private static long ToByteSize(ConfigValue value, string path)
    {
        var (amount, unit) = ParseUnits(value, path, SizeExpected);
        if (!SizeFactors.TryGetValue(unit.Length == 0 ? "B" : unit, out var factor))
        {
            throw new ConfigException($"unknown size unit '{unit}'; expected {SizeExpected}", value.Origin, path);
        }

        var bytes = Multiply(amount, factor, value, path, "size");
        return bytes is >= long.MinValue and <= long.MaxValue
            ? (long)bytes
            : throw new ConfigException("size in bytes out of range (does not fit a 64-bit integer)", value.Origin, path);
    }

    private static decimal Multiply(decimal amount, decimal factor, ConfigValue value, string path, string what)
    {
        try
        {
            return decimal.Truncate(amount * factor);
        }
        catch (OverflowException)
        {
            throw new ConfigException($"{what} out of range", value.Origin, path);
        }
    }

    /// <summary>Spec "Units format": optional whitespace, a number, optional whitespace, optional letters, optional whitespace.</summary>
    private static (decimal Amount, string Unit) ParseUnits(ConfigValue value, string path, string expected)
    {
        if (value is ConfigNumber number)
        {
            return number.TryGetDecimal(out var d) ? (d, "") : throw new ConfigException($"number out of range; expected {expected}", value.Origin, path);
        }

        if (value is not ConfigString { Value: var raw })
        {
            throw WrongType(value, path, expected);
        }

        var text = raw.Trim();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or '-' or '+'))
        {
            end++;
        }

        var unit = text[end..].TrimStart();
        if (end == 0 || !unit.All(char.IsLetter)
            || !decimal.TryParse(text[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw WrongType(value, path, expected);
        }

        return (amount, unit);
    }

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = ticks;
            }
        }

        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1 };
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalWords = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryWords = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal ten = 1;
        decimal two = 1;
        for (var i = 0; i < decimalPrefixes.Length; i++)
        {
            ten *= 1000;
            two *= 1024;
            var letter = decimalPrefixes[i].ToUpperInvariant();
            units[decimalPrefixes[i] + "B"] = ten;
            units[decimalWords[i] + "byte"] = ten;
            units[decimalWords[i] + "bytes"] = ten;
            foreach (var name in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryWords[i] + "byte", binaryWords[i] + "bytes" })
            {
                units[name] = two;
            }
        }

        return units;
    }
}
