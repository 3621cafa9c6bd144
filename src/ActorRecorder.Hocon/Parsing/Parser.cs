namespace ActorRecorder.Hocon;

/// <summary>
/// Recursive-descent HOCON/JSON parser producing an unresolved tree: duplicate keys are merged as
/// they are read, concatenations without substitutions are combined, the rest waits for the resolver.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly ParseContext _context;
    private readonly bool _json;
    private int _pos;
    private int _depth;
    private ConfigPath? _where;

    private Parser(List<Token> tokens, ParseContext context)
    {
        _tokens = tokens;
        _context = context;
        _json = context.Syntax == ConfigSyntax.Json;
        _depth = context.Depth;
    }

    public static ConfigObject Parse(string text, ParseContext context)
    {
        if (context.Syntax == ConfigSyntax.Properties)
        {
            return PropertiesParser.Parse(text, context.File);
        }

        var tokens = Tokenizer.Tokenize(text, context.File, context.Syntax == ConfigSyntax.Json);
        return new Parser(tokens, context).ParseRoot();
    }

    private Token Peek() => _tokens[_pos];

    private Token Take()
    {
        var token = _tokens[_pos];
        if (token.Kind != TokenKind.Eof)
        {
            _pos++;
        }

        return token;
    }

    private void SkipWhitespace()
    {
        while (Peek().Kind == TokenKind.Whitespace)
        {
            _pos++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek().Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _pos++;
        }
    }

    private ConfigException Error(Token at, string message)
    {
        var where = _where is { Count: > 0 } ? _context.Prefix.Concat(_where) : null;
        return new ConfigException(message, at.Origin, where?.ToString());
    }

    private void Enter(Token at)
    {
        if (++_depth > Guard.MaxDepth)
        {
            throw Error(at, $"nesting too deep: more than {Guard.MaxDepth} levels of objects, arrays and includes");
        }

        Guard.Stack(at.Origin);
    }

    private ConfigObject ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek();
        if (first.Kind == TokenKind.OpenBrace)
        {
            var root = ParseBracedObject(ConfigPath.Root);
            SkipWhitespaceAndNewlines();
            var rest = Peek();
            if (rest.Kind != TokenKind.Eof)
            {
                throw Error(rest, $"expected end of input after the root object's closing '}}', found {rest.Describe()}");
            }

            return root;
        }

        if (first.Kind == TokenKind.OpenBracket)
        {
            throw Error(first, "the root of a configuration must be an object, found an array");
        }

        if (_json)
        {
            throw Error(first, $"expected '{{' at the start of a JSON document, found {first.Describe()}");
        }

        return ParseFields(braced: false, ConfigPath.Root, first);
    }

    private ConfigObject ParseBracedObject(ConfigPath? path)
    {
        var open = Take();
        Enter(open);
        var saved = _where;
        var result = ParseFields(braced: true, path, open);
        _where = saved;
        _depth--;
        return result;
    }

    private ConfigObject ParseFields(bool braced, ConfigPath? path, Token open)
    {
        var fields = new ObjectBuilder();
        SkipWhitespaceAndNewlines();
        while (true)
        {
            _where = path;
            var token = Peek();
            if (braced && token.Kind == TokenKind.CloseBrace)
            {
                Take();
                break;
            }

            if (!braced && token.Kind == TokenKind.Eof)
            {
                break;
            }

            if (token.Kind == TokenKind.Eof)
            {
                throw Error(token, $"unexpected end of input: expected '}}' to close the object opened at {open.Origin}");
            }

            if (!PathBuilder.IsPathToken(token))
            {
                throw Error(token, $"expected {(braced ? "'}' or a key" : "a key")}, found {token.Describe()}");
            }

            if (token.Kind == TokenKind.UnquotedText && token.Text == "include")
            {
                ParseInclude(fields, path);
            }
            else
            {
                ParseField(fields, path);
            }

            _where = path;
            SkipWhitespace();
            var separator = Peek();
            if (separator.Kind == TokenKind.Comma)
            {
                Take();
                SkipWhitespaceAndNewlines();
                if (_json && Peek().Kind == TokenKind.CloseBrace)
                {
                    throw Error(Peek(), "JSON does not allow a trailing comma before '}'");
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
            else if (braced && separator.Kind == TokenKind.Eof)
            {
                throw Error(separator, $"unexpected end of input: expected '}}' to close the object opened at {open.Origin}");
            }
            else if (!(braced && separator.Kind == TokenKind.CloseBrace) && !(!braced && separator.Kind == TokenKind.Eof))
            {
                throw Error(separator, $"expected ',' or a newline after the value, found {separator.Describe()}");
            }
        }

        return fields.Build(open.Origin);
    }

    private void ParseField(ObjectBuilder fields, ConfigPath? path)
    {
        var keyStart = Peek();
        var keyTokens = new List<Token>();
        while (PathBuilder.IsPathToken(Peek()))
        {
            keyTokens.Add(Take());
        }

        if (Peek().Kind == TokenKind.Substitution)
        {
            throw Error(Peek(), "substitutions are not allowed in keys");
        }

        if (_json && (keyTokens.Count(t => t.Kind != TokenKind.Whitespace) != 1 || keyStart.Kind != TokenKind.QuotedString))
        {
            throw Error(keyStart, "JSON keys must be single quoted strings");
        }

        var keyOrigins = new List<ConfigOrigin>();
        var keyPath = PathBuilder.Build(keyTokens, keyStart.Origin, null, keyOrigins);
        var fieldPath = path?.Concat(keyPath);
        _where = fieldPath ?? keyPath;
        SkipWhitespaceAndNewlines();
        var separator = Peek();
        ConfigValue value;
        switch (separator.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.EqualsSign when !_json:
                Take();
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath);
                break;
            case TokenKind.PlusEquals:
                Take();
                SkipWhitespaceAndNewlines();
                var element = ParseValue(null);
                // a += x is a = ${?a} [x] (spec, "The += field separator").
                var self = new Substitution(fieldPath ?? keyPath, optional: true, _context.Prefix, separator.Origin);
                value = new Concatenation([self, new ConfigList([element], element.Origin)], separator.Origin);
                break;
            case TokenKind.OpenBrace when !_json:
                value = ParseValue(fieldPath);
                break;
            default:
                throw Error(separator, $"expected {(_json ? "':'" : "':', '=' or '{'")} after the key '{keyPath}', found {separator.Describe()}");
        }

        AddField(fields, keyPath, keyOrigins, value);
    }

    /// <summary><c>a.b.c = 1</c> is <c>a { b { c = 1 } }</c>, each key at its own position.</summary>
    private static void AddField(ObjectBuilder fields, ConfigPath keyPath, IReadOnlyList<ConfigOrigin> keyOrigins, ConfigValue value)
    {
        var wrapped = value;
        for (var i = keyPath.Count - 1; i >= 1; i--)
        {
            var single = new ObjectBuilder();
            single.Add(keyPath.Segments[i], wrapped, keyOrigins[i]);
            wrapped = single.Build(value.Origin);
        }

        fields.Add(keyPath.Segments[0], wrapped, keyOrigins[0]);
    }
}
