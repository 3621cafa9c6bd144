using System.Globalization;
using System.Text;

namespace ActorRecorder.Hocon;

internal sealed partial class Tokenizer
{
    private Token ReadQuoted(ConfigOrigin start)
    {
        if (Peek(1) == '"' && Peek(2) == '"')
        {
            if (_json)
            {
                throw Error("triple-quoted strings are not allowed in JSON");
            }

            return ReadTripleQuoted(start);
        }

        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated quoted string (missing closing '\"')", start);
            }

            var c = Peek();
            if (c == '"')
            {
                Advance();
                return new Token(TokenKind.QuotedString, sb.ToString(), start);
            }

            if (c < ' ')
            {
                throw Error(c == '\n'
                    ? "newline inside a quoted string (close the string, use \\n, or use a \"\"\" string)"
                    : $"control character U+{(int)c:X4} inside a quoted string (use a backslash escape)");
            }

            if (c == '\\')
            {
                sb.Append(ReadEscape());
            }
            else
            {
                sb.Append(Advance());
            }
        }
    }

    private char ReadEscape()
    {
        var at = Here;
        Advance();
        if (AtEnd)
        {
            throw Error("unterminated escape sequence at end of input", at);
        }

        var c = Advance();
        switch (c)
        {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                var hex = new StringBuilder();
                for (var i = 0; i < 4; i++)
                {
                    if (AtEnd || !char.IsAsciiHexDigit(Peek()))
                    {
                        throw Error("\\u must be followed by four hexadecimal digits", at);
                    }

                    hex.Append(Advance());
                }

                return (char)int.Parse(hex.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            default:
                throw Error($"invalid escape '\\{c}' in quoted string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at);
        }
    }

    /// <summary>Raw text up to a run of at least three quotes; quotes beyond the last three belong to the string.</summary>
    private Token ReadTripleQuoted(ConfigOrigin start)
    {
        Advance();
        Advance();
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated triple-quoted string (missing closing '\"\"\"')", start);
            }

            if (Peek() != '"')
            {
                sb.Append(Advance());
                continue;
            }

            var run = 0;
            while (Peek() == '"' && !AtEnd)
            {
                Advance();
                run++;
            }

            if (run >= 3)
            {
                sb.Append('"', run - 3);
                return new Token(TokenKind.QuotedString, sb.ToString(), start);
            }

            sb.Append('"', run);
        }
    }

    private Token ReadSubstitution(ConfigOrigin start)
    {
        Advance();
        Advance();
        var optional = false;
        if (Peek() == '?')
        {
            Advance();
            optional = true;
        }

        var parts = new List<Token>();
        while (true)
        {
            if (Peek() == '$' && Peek(1) == '{')
            {
                throw Error("substitutions cannot be nested inside a substitution");
            }

            var token = Next();
            if (token.Kind == TokenKind.CloseBrace)
            {
                break;
            }

            if (!PathBuilder.IsPathToken(token))
            {
                throw Error($"expected '}}' to close the substitution, found {token.Describe()}", token.Origin);
            }

            parts.Add(token);
        }

        if (!parts.Any(t => t.Kind != TokenKind.Whitespace))
        {
            throw Error("empty substitution '${}': a path is required", start);
        }

        return new Token(TokenKind.Substitution, "", start) { Optional = optional, PathTokens = parts };
    }
}
