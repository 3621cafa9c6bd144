namespace ActorRecorder.Hocon;

internal sealed partial class Parser
{
    /// <summary>Reads one value: every simple value, object, array and substitution up to the end of the line or a separator.</summary>
    private ConfigValue ParseValue(ConfigPath? path)
    {
        var pieces = new List<ConfigValue>();
        ConcatWhitespace? pendingWhitespace = null;
        while (true)
        {
            var token = Peek();
            ConfigValue piece;
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    Take();
                    if (pieces.Count > 0)
                    {
                        pendingWhitespace = new ConcatWhitespace(pendingWhitespace?.Text + token.Text, pendingWhitespace?.Origin ?? token.Origin);
                    }

                    continue;
                case TokenKind.QuotedString:
                case TokenKind.UnquotedText:
                    piece = new ConfigString(Take().Text, token.Origin);
                    break;
                case TokenKind.Number:
                    piece = new ConfigNumber(Take().Text, token.Origin);
                    break;
                case TokenKind.True:
                case TokenKind.False:
                    piece = new ConfigBoolean(Take().Kind == TokenKind.True, token.Origin);
                    break;
                case TokenKind.Null:
                    Take();
                    piece = new ConfigNull(token.Origin);
                    break;
                case TokenKind.Substitution:
                    Take();
                    piece = new Substitution(PathBuilder.Build(token.PathTokens, token.Origin, null), token.Optional, _context.Prefix, token.Origin);
                    break;
                case TokenKind.OpenBrace:
                    piece = ParseBracedObject(path);
                    break;
                case TokenKind.OpenBracket:
                    piece = ParseArray();
                    break;
                default:
                    return Finish(pieces, token);
            }

            if (pendingWhitespace is not null)
            {
                pieces.Add(pendingWhitespace);
                pendingWhitespace = null;
            }

            pieces.Add(piece);
        }
    }

    private ConfigValue Finish(List<ConfigValue> pieces, Token next)
    {
        if (pieces.Count == 0)
        {
            throw Error(next, $"expected a value, found {next.Describe()}");
        }

        if (pieces.Count == 1)
        {
            return pieces[0];
        }

        if (_json)
        {
            throw Error(next, "JSON values must be separated by ','");
        }

        if (pieces.Any(p => p is Substitution))
        {
            return new Concatenation(pieces, pieces[0].Origin);
        }

        return Concatenator.Combine(pieces, pieces[0].Origin, _where?.ToString());
    }

    private ConfigList ParseArray()
    {
        var open = Take();
        Enter(open);
        var items = new List<ConfigValue>();
        SkipWhitespaceAndNewlines();
        while (true)
        {
            var token = Peek();
            if (token.Kind == TokenKind.CloseBracket)
            {
                Take();
                break;
            }

            if (token.Kind == TokenKind.Eof)
            {
                throw Error(token, $"unexpected end of input: expected ']' to close the array opened at {open.Origin}");
            }

            items.Add(ParseValue(null));
            SkipWhitespace();
            var separator = Peek();
            if (separator.Kind == TokenKind.Comma)
            {
                Take();
                SkipWhitespaceAndNewlines();
                if (Peek().Kind == TokenKind.Comma || (_json && Peek().Kind == TokenKind.CloseBracket))
                {
                    throw Error(Peek(), $"expected a value, found {Peek().Describe()}");
                }
            }
            else if (separator.Kind == TokenKind.Newline)
            {
                SkipWhitespaceAndNewlines();
                if (Peek().Kind == TokenKind.Comma)
                {
                    Take();
                    SkipWhitespaceAndNewlines();
                }
            }
            else if (separator.Kind == TokenKind.Eof)
            {
                throw Error(separator, $"unexpected end of input: expected ']' to close the array opened at {open.Origin}");
            }
            else if (separator.Kind != TokenKind.CloseBracket)
            {
                throw Error(separator, $"expected ',' or ']' in the array, found {separator.Describe()}");
            }
        }

        _depth--;
        return new ConfigList(items, open.Origin);
    }
}
