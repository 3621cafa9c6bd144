using System.Text;

namespace ActorRecorder.Telegram;

/// <summary>Renders captions such as <c>{channel} · {title}\n{start} part {part}/{parts} ({duration})</c>.</summary>
public static class CaptionTemplate
{
    /// <summary>Telegram's caption limit, in UTF-16 code units.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>
    /// Replaces each <c>{name}</c> found in <paramref name="values"/>; unknown placeholders stay as written.
    /// The result is cut to <see cref="MaxCaptionLength"/>.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
                break;
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
                break;
            var name = template.AsSpan(open + 1, close - open - 1);
            // "{{x}": the inner '{' starts the placeholder.
            var nested = name.LastIndexOf('{');
            if (nested >= 0)
            {
                result.Append(template, i, open + 1 + nested - i);
                i = open + 1 + nested;
                continue;
            }
            result.Append(template, i, open - i);
            if (values.TryGetValue(name.ToString(), out var value))
                result.Append(value);
            else
                result.Append(template, open, close - open + 1);
            i = close + 1;
        }
        result.Append(template, i, template.Length - i);
        return Truncate(result.ToString(), MaxCaptionLength);
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxLength"/> UTF-16 code units without splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength = MaxCaptionLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (text.Length <= maxLength)
            return text;
        var cut = maxLength;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut];
    }
}
