namespace ActorRecorder.Hocon;

/// <summary>Unquoted whitespace between two parts of a value concatenation: kept in strings, ignored between arrays or objects.</summary>
internal sealed class ConcatWhitespace : ConfigValue
{
    public ConcatWhitespace(string text, ConfigOrigin origin)
        : base(origin)
    {
        Text = text;
    }

    public string Text { get; }
}
