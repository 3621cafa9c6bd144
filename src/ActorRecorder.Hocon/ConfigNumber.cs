using System.Globalization;

namespace ActorRecorder.Hocon;

/// <summary>A number, kept as written (<c>42</c> and <c>42.0</c> render differently but compare equal by value).</summary>
public sealed class ConfigNumber : ConfigValue
{
    public ConfigNumber(string text, ConfigOrigin? origin = null)
        : base(origin)
    {
        Text = text;
    }

    public string Text { get; }

    public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The exact value when it fits a decimal (always for ordinary config numbers).</summary>
    public bool TryGetDecimal(out decimal value) =>
        decimal.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The value as a long when it is integral and in range (<c>42.0</c> qualifies, <c>42.5</c> does not).</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        if (!TryGetDecimal(out var d) || decimal.Truncate(d) != d || d < long.MinValue || d > long.MaxValue)
        {
            return false;
        }

        value = (long)d;
        return true;
    }

    /// <summary>Value equality, independent of how the number was written.</summary>
    public bool ValueEquals(ConfigNumber other)
    {
        if (TryGetDecimal(out var a) && other.TryGetDecimal(out var b))
        {
            return a == b;
        }

        return ToDouble().Equals(other.ToDouble());
    }
}
