using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorRecorder.Hocon;

/// <summary>Renders resolved values as indented JSON.</summary>
internal static class JsonRenderer
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = Guard.MaxDepth * 4,
    };

    public static string Render(ConfigValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, ConfigValue value)
    {
        Guard.Stack(value.Origin);
        switch (value)
        {
            case ConfigObject obj:
                writer.WriteStartObject();
                foreach (var (key, field) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, field);
                }

                writer.WriteEndObject();
                break;
            case ConfigList list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case ConfigString s:
                writer.WriteStringValue(s.Value);
                break;
            case ConfigNumber n:
                WriteNumber(writer, n);
                break;
            case ConfigBoolean b:
                writer.WriteBooleanValue(b.Value);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Numbers keep their text unless it is not valid JSON (HOCON accepts leading zeros, e.g. <c>007</c>).</summary>
    private static void WriteNumber(Utf8JsonWriter writer, ConfigNumber number)
    {
        var text = number.Text;
        var digits = text.TrimStart('-');
        var leadingZero = digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]);
        if (!leadingZero)
        {
            writer.WriteRawValue(text);
        }
        else if (number.TryGetDecimal(out var d))
        {
            writer.WriteNumberValue(d);
        }
        else
        {
            writer.WriteNumberValue(number.ToDouble());
        }
    }
}
