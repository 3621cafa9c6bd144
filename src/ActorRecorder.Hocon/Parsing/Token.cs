namespace ActorRecorder.Hocon;

internal sealed class Token
{
    public Token(TokenKind kind, string text, ConfigOrigin origin)
    {
        Kind = kind;
        Text = text;
        Origin = origin;
    }

    public TokenKind Kind { get; }

    /// <summary>The string value for strings, the original text for numbers, unquoted text and whitespace.</summary>
    public string Text { get; }

    public ConfigOrigin Origin { get; }

    /// <summary>For substitutions: <c>${?...}</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>For substitutions: the tokens of the path expression between the braces.</summary>
    public IReadOnlyList<Token> PathTokens { get; init; } = [];

    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of input",
        TokenKind.Newline => "newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Comma => "','",
        TokenKind.Colon => "':'",
        TokenKind.EqualsSign => "'='",
        TokenKind.PlusEquals => "'+='",
        TokenKind.OpenBrace => "'{'",
        TokenKind.CloseBrace => "'}'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.QuotedString => "quoted string \"" + Shorten(Text) + "\"",
        TokenKind.Substitution => "substitution",
        _ => "'" + Shorten(Text) + "'",
    };

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "..." : text;
}
