using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>
/// Builds a path from the tokens of a key or substitution: unquoted text and numbers split on '.',
/// quoted strings never do, whitespace inside is kept, around it is dropped.
/// </summary>
internal static class PathBuilder
{
    public static bool IsPathToken(Token token) => token.Kind is TokenKind.UnquotedText or TokenKind.QuotedString
        or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Whitespace;

    /// <param name="segmentOrigins">When given, receives where each segment starts (for a key's positions).</param>
    public static ConfigPath Build(IReadOnlyList<Token> tokens, ConfigOrigin? origin, string? describe, List<ConfigOrigin>? segmentOrigins = null)
    {
        var first = 0;
        var last = tokens.Count - 1;
        while (first <= last && tokens[first].Kind == TokenKind.Whitespace)
        {
            first++;
        }

        while (last >= first && tokens[last].Kind == TokenKind.Whitespace)
        {
            last--;
        }

        var at = first <= last ? tokens[first].Origin : origin;
        var segments = new List<string>();
        var current = new StringBuilder();
        var quotedPart = false;
        ConfigOrigin? segmentStart = null;
        for (var i = first; i <= last; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.QuotedString)
            {
                segmentStart ??= token.Origin;
                current.Append(token.Text);
                quotedPart = true;
                continue;
            }

            // A key is on one line, so a character's column is its token's plus its offset.
            var text = token.Text;
            for (var j = 0; j < text.Length; j++)
            {
                if (text[j] != '.' || token.Kind == TokenKind.Whitespace)
                {
                    segmentStart ??= token.Origin with { Column = token.Origin.Column + j };
                    current.Append(text[j]);
                    continue;
                }

                EndSegment(segments, current, quotedPart, at, describe);
                segmentOrigins?.Add(segmentStart!);
                segmentStart = null;
                quotedPart = false;
            }
        }

        EndSegment(segments, current, quotedPart, at, describe);
        segmentOrigins?.Add(segmentStart!);
        return new ConfigPath(segments);
    }

    private static void EndSegment(List<string> segments, StringBuilder current, bool quoted, ConfigOrigin? at, string? describe)
    {
        if (current.Length == 0 && !quoted)
        {
            throw new ConfigException(
                "invalid path" + (describe is null ? "" : $" '{describe}'")
                + ": empty path element (a path may not start or end with '.' or contain '..'; quote an empty key as \"\")",
                at);
        }

        segments.Add(current.ToString());
        current.Clear();
    }
}
