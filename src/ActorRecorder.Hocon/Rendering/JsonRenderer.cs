using System.Globalization;
using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>
/// Renders resolved values as indented JSON. Hand-written rather than Utf8JsonWriter because numbers must
/// keep their original text, and raw values break that writer's indentation.
/// </summary>
internal static class JsonRenderer
{
    private const int IndentSize = 2;

    public static string Render(ConfigValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, ConfigValue value, int indent)
    {
        Guard.Stack(value.Origin);
        switch (value)
        {
            case ConfigObject obj when obj.Count == 0:
                sb.Append("{}");
                break;
            case ConfigObject obj:
                sb.Append("{\n");
                var first = true;
                foreach (var (key, field) in obj)
                {
                    sb.Append(first ? "" : ",\n").Append(' ', (indent + 1) * IndentSize).Append(HoconRenderer.Quote(key)).Append(": ");
                    Write(sb, field, indent + 1);
                    first = false;
                }

                sb.Append('\n').Append(' ', indent * IndentSize).Append('}');
                break;
            case ConfigList list when list.Count == 0:
                sb.Append("[]");
                break;
            case ConfigList list:
                sb.Append("[\n");
                for (var i = 0; i < list.Count; i++)
                {
                    sb.Append(i == 0 ? "" : ",\n").Append(' ', (indent + 1) * IndentSize);
                    Write(sb, list[i], indent + 1);
                }

                sb.Append('\n').Append(' ', indent * IndentSize).Append(']');
                break;
            case ConfigString s:
                sb.Append(HoconRenderer.Quote(s.Value));
                break;
            case ConfigNumber n:
                sb.Append(JsonNumber(n));
                break;
            case ConfigBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>The number as written, unless that is not valid JSON (HOCON accepts leading zeros, e.g. <c>007</c>).</summary>
    private static string JsonNumber(ConfigNumber number)
    {
        var digits = number.Text.TrimStart('-');
        var leadingZero = digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]);
        if (!leadingZero)
        {
            return number.Text;
        }

        return number.TryGetDecimal(out var d)
            ? d.ToString(CultureInfo.InvariantCulture)
            : number.ToDouble().ToString("R", CultureInfo.InvariantCulture);
    }
}
