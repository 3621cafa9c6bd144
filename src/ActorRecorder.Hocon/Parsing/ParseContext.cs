namespace ActorRecorder.Hocon;

/// <param name="File">Name used in origins and error messages.</param>
/// <param name="BaseDirectory">Directory relative includes are resolved against; null when parsing a string.</param>
/// <param name="Prefix">Where this document was included, so its substitutions can be fixed up.</param>
/// <param name="IncludeChain">Full paths of the files being included, outermost first, to detect include cycles.</param>
/// <param name="Depth">Nesting already used by the including documents.</param>
internal sealed record ParseContext(
    string? File,
    string? BaseDirectory,
    ConfigSyntax Syntax,
    ConfigPath Prefix,
    IReadOnlyList<string> IncludeChain,
    int Depth)
{
    public static ParseContext ForSyntax(ConfigSyntax syntax, string? file, string? baseDirectory) =>
        new(file, baseDirectory, syntax, ConfigPath.Root, [], 0);

    public static ConfigSyntax SyntaxOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".json" => ConfigSyntax.Json,
        ".properties" => ConfigSyntax.Properties,
        _ => ConfigSyntax.Conf,
    };
}
