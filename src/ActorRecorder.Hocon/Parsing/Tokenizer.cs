using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>Turns HOCON (or strict JSON) text into tokens; comments are dropped, positions are 1-based.</summary>
internal sealed partial class Tokenizer
{
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string? _file;
    private readonly bool _json;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private Tokenizer(string text, string? file, bool json)
    {
        _text = text;
        _file = file;
        _json = json;
    }

    public static List<Token> Tokenize(string text, string? file, bool json)
    {
        var tokenizer = new Tokenizer(text, file, json);
        var tokens = new List<Token>();
        while (true)
        {
            var token = tokenizer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.Eof)
            {
                return tokens;
            }
        }
    }

    public static bool IsWhitespace(char c) =>
        char.IsWhiteSpace(c) || c == '\uFEFF' || c is >= '\u001C' and <= '\u001F';

    private ConfigOrigin Here => new(_file, _line, _column);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private char Advance()
    {
        var c = _text[_pos++];
        if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        return c;
    }

    private ConfigException Error(string message, ConfigOrigin? at = null) => new(message, at ?? Here);

    private Token Next()
    {
        SkipComment();
        var start = Here;
        if (AtEnd)
        {
            return new Token(TokenKind.Eof, "", start);
        }

        var c = Peek();
        if (c == '\n')
        {
            Advance();
            // Strict JSON has no newline-as-comma rule: a newline is plain whitespace there.
            return new Token(_json ? TokenKind.Whitespace : TokenKind.Newline, "\n", start);
        }

        if (IsWhitespace(c))
        {
            var sb = new StringBuilder();
            while (!AtEnd && Peek() != '\n' && IsWhitespace(Peek()))
            {
                sb.Append(Advance());
            }

            return new Token(TokenKind.Whitespace, sb.ToString(), start);
        }

        switch (c)
        {
            case '{': Advance(); return new Token(TokenKind.OpenBrace, "{", start);
            case '}': Advance(); return new Token(TokenKind.CloseBrace, "}", start);
            case '[': Advance(); return new Token(TokenKind.OpenBracket, "[", start);
            case ']': Advance(); return new Token(TokenKind.CloseBracket, "]", start);
            case ',': Advance(); return new Token(TokenKind.Comma, ",", start);
            case ':': Advance(); return new Token(TokenKind.Colon, ":", start);
            case '=': Advance(); return new Token(TokenKind.EqualsSign, "=", start);
            case '"': return ReadQuoted(start);
            case '+' when Peek(1) == '=' && !_json:
                Advance();
                Advance();
                return new Token(TokenKind.PlusEquals, "+=", start);
            case '$' when Peek(1) == '{' && !_json:
                return ReadSubstitution(start);
            default:
                break;
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ReadNumberOrText(start);
        }

        if (Forbidden.Contains(c, StringComparison.Ordinal))
        {
            throw Error($"reserved character '{c}' is not allowed outside quotes (quote the string if you need it)");
        }

        return ReadUnquoted(start, keywords: true);
    }

    private void SkipComment()
    {
        var c = Peek();
        if (c == '#' || (c == '/' && Peek(1) == '/'))
        {
            if (_json)
            {
                throw Error("comments are not allowed in JSON");
            }

            while (!AtEnd && Peek() != '\n')
            {
                Advance();
            }
        }
    }

    private bool AtUnquotedEnd()
    {
        if (AtEnd)
        {
            return true;
        }

        var c = Peek();
        return IsWhitespace(c) || Forbidden.Contains(c, StringComparison.Ordinal) || (c == '/' && Peek(1) == '/');
    }

    /// <summary>
    /// Reads unquoted text up to a forbidden character, whitespace or <c>//</c>. A leading <c>true</c>,
    /// <c>false</c> or <c>null</c> is its own token even when text follows (<c>truefoo</c> is <c>true</c> then <c>foo</c>).
    /// </summary>
    private Token ReadUnquoted(ConfigOrigin start, bool keywords)
    {
        var sb = new StringBuilder();
        while (!AtUnquotedEnd())
        {
            sb.Append(Advance());
            if (keywords && sb.Length is 4 or 5)
            {
                var word = sb.ToString();
                var kind = word switch
                {
                    "true" => TokenKind.True,
                    "null" => TokenKind.Null,
                    "false" => TokenKind.False,
                    _ => TokenKind.Eof,
                };
                if (kind != TokenKind.Eof)
                {
                    return new Token(kind, word, start);
                }
            }
        }

        if (_json)
        {
            throw Error($"JSON does not allow unquoted text '{sb}' (use quotes, or parse the file as HOCON)", start);
        }

        return new Token(TokenKind.UnquotedText, sb.ToString(), start);
    }

    /// <summary>
    /// A value starting with a digit or '-' is a number if its run of number characters is one
    /// (<c>10.0bar</c> is 10.0 then <c>bar</c>); otherwise it is unquoted text (<c>1.2.3</c>, <c>-foo</c>).
    /// </summary>
    private Token ReadNumberOrText(ConfigOrigin start)
    {
        var end = _pos;
        while (end < _text.Length && "0123456789eE+-.".Contains(_text[end], StringComparison.Ordinal))
        {
            end++;
        }

        var candidate = _text[_pos..end];
        if (IsNumber(candidate))
        {
            while (_pos < end)
            {
                Advance();
            }

            return new Token(TokenKind.Number, candidate, start);
        }

        if (_json)
        {
            throw Error($"invalid number '{candidate}'");
        }

        return ReadUnquoted(start, keywords: false);
    }

    private static bool IsNumber(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        var digits = SkipDigits(s, ref i);
        if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (SkipDigits(s, ref i) == 0)
            {
                return false;
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            if (SkipDigits(s, ref i) == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static int SkipDigits(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }
}
