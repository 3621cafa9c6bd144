namespace ActorRecorder.Hocon;

/// <summary>How text is parsed.</summary>
public sealed record ConfigParseOptions
{
    public static ConfigParseOptions Default { get; } = new();

    /// <summary>Name used for positions in errors (a file name); null shows line:column only.</summary>
    public string? OriginName { get; init; }

    /// <summary>Directory that relative includes are resolved against. Without one, relative includes are an error.</summary>
    public string? BaseDirectory { get; init; }

    public ConfigSyntax Syntax { get; init; } = ConfigSyntax.Conf;
}
