using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>A path through the object tree: a list of keys, rendered as a HOCON path expression.</summary>
internal sealed class ConfigPath
{
    public ConfigPath(IReadOnlyList<string> segments)
    {
        Segments = segments;
    }

    public static ConfigPath Root { get; } = new([]);

    public IReadOnlyList<string> Segments { get; }

    public int Count => Segments.Count;

    public ConfigPath Append(string key) => new([.. Segments, key]);

    public ConfigPath Concat(ConfigPath other) => other.Count == 0 ? this : Count == 0 ? other : new([.. Segments, .. other.Segments]);

    /// <summary>Parses a path expression as written in a substitution or a getter (<c>a.b."c.d"</c>).</summary>
    public static ConfigPath Parse(string expression)
    {
        List<Token> tokens;
        try
        {
            tokens = Tokenizer.Tokenize(expression, null, json: false);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"invalid path expression '{expression}': {e.Reason}", path: expression);
        }

        var parts = tokens.Where(t => t.Kind != TokenKind.Eof).ToList();
        if (parts.Any(t => !PathBuilder.IsPathToken(t)))
        {
            throw new ConfigException($"invalid path expression '{expression}'", path: expression);
        }

        return PathBuilder.Build(parts, null, expression);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var segment in Segments)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(HoconRenderer.IsBareKey(segment) ? segment : HoconRenderer.Quote(segment));
        }

        return sb.ToString();
    }
}
