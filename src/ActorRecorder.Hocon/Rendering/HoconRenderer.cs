using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>Renders resolved values as HOCON (root without braces, strings always quoted) that parses back to an equal value.</summary>
internal static class HoconRenderer
{
    private const int IndentSize = 2;

    public static string Render(ConfigValue value)
    {
        var sb = new StringBuilder();
        if (value is ConfigObject root)
        {
            WriteFields(sb, root, 0);
        }
        else
        {
            WriteValue(sb, value, 0);
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Keys that need no quotes: plain words that are not keywords or numbers.</summary>
    public static bool IsBareKey(string key)
    {
        if (key.Length == 0 || key is "include" or "true" or "false" or "null" || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }

        return key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void WriteFields(StringBuilder sb, ConfigObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            sb.Append(' ', indent * IndentSize).Append(IsBareKey(key) ? key : Quote(key));
            sb.Append(value is ConfigObject ? " " : " = ");
            WriteValue(sb, value, indent);
            sb.Append('\n');
        }
    }

    private static void WriteValue(StringBuilder sb, ConfigValue value, int indent)
    {
        Guard.Stack(value.Origin);
        switch (value)
        {
            case ConfigObject obj when obj.Count == 0:
                sb.Append("{}");
                break;
            case ConfigObject obj:
                sb.Append("{\n");
                WriteFields(sb, obj, indent + 1);
                sb.Append(' ', indent * IndentSize).Append('}');
                break;
            case ConfigList list when list.Count == 0:
                sb.Append("[]");
                break;
            case ConfigList list:
                sb.Append("[\n");
                foreach (var item in list)
                {
                    sb.Append(' ', (indent + 1) * IndentSize);
                    WriteValue(sb, item, indent + 1);
                    sb.Append('\n');
                }

                sb.Append(' ', indent * IndentSize).Append(']');
                break;
            case ConfigString s:
                sb.Append(Quote(s.Value));
                break;
            case ConfigNumber n:
                sb.Append(n.Text);
                break;
            case ConfigBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case ConfigNull:
                sb.Append("null");
                break;
            default:
                // Unresolved nodes only exist inside the parser and resolver; show them recognisably for debugging.
                sb.Append(value is Substitution sub ? sub.Expression : "<unresolved>");
                break;
        }
    }
}
