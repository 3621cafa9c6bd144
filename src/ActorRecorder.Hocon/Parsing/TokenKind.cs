namespace ActorRecorder.Hocon;

internal enum TokenKind
{
    Eof,
    Newline,
    Whitespace,
    Comma,
    Colon,
    EqualsSign,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    QuotedString,
    UnquotedText,
    Number,
    True,
    False,
    Null,
    Substitution,
}
