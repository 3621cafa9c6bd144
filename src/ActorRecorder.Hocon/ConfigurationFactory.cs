using System.Reflection;

namespace ActorRecorder.Hocon;

/// <summary>Entry points: parse text, files and embedded <c>reference.conf</c> resources into resolved <see cref="Config"/>s.</summary>
public static class ConfigurationFactory
{
    public static Config Empty => Config.Empty;

    public static Config ParseString(string text, ConfigParseOptions? parseOptions = null, ConfigResolveOptions? resolveOptions = null)
    {
        var root = ParseUnresolved(text, parseOptions ?? ConfigParseOptions.Default);
        return new Config(Resolver.Resolve(root, resolveOptions ?? ConfigResolveOptions.Default));
    }

    /// <summary>Parses a file (syntax from its extension: .json, .properties, otherwise HOCON) and resolves it.</summary>
    public static Config ParseFile(string path, ConfigResolveOptions? resolveOptions = null) =>
        new(Resolver.Resolve(ParseFileUnresolved(path), resolveOptions ?? ConfigResolveOptions.Default));

    /// <summary>
    /// Reads a user's file with resolved fallbacks (usually the modules' reference configs, highest priority first)
    /// and resolves the result, so the file's substitutions can refer to reference values.
    /// </summary>
    public static Config Load(string path, params Config[] fallbacks) => Load(path, ConfigResolveOptions.Default, fallbacks);

    public static Config Load(string path, ConfigResolveOptions resolveOptions, params Config[] fallbacks)
    {
        ConfigValue merged = ParseFileUnresolved(path);
        foreach (var fallback in fallbacks)
        {
            merged = Merger.Merge(fallback.Root, merged);
        }

        return new Config(Resolver.Resolve((ConfigObject)merged, resolveOptions));
    }

    /// <summary>Reads an embedded resource (e.g. a module's <c>reference.conf</c>), resolved on its own as references are.</summary>
    public static Config FromResource(Assembly assembly, string resourceName, ConfigResolveOptions? resolveOptions = null)
    {
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n == resourceName)
            ?? assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("." + resourceName, StringComparison.Ordinal))
            ?? throw new ConfigException($"resource '{resourceName}' not found in assembly {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var options = new ConfigParseOptions { OriginName = $"{assembly.GetName().Name}:{resourceName}" };
        return ParseString(reader.ReadToEnd(), options, resolveOptions);
    }

    /// <summary>
    /// Every embedded resource named <c>reference.conf</c> (or <c>*.reference.conf</c>) in the given assemblies,
    /// each resolved on its own, merged with earlier assemblies taking priority.
    /// </summary>
    public static Config LoadReferences(IEnumerable<Assembly> assemblies, ConfigResolveOptions? resolveOptions = null)
    {
        var result = Config.Empty;
        foreach (var assembly in assemblies)
        {
            foreach (var name in assembly.GetManifestResourceNames().Where(IsReferenceResource).Order(StringComparer.Ordinal))
            {
                result = result.WithFallback(FromResource(assembly, name, resolveOptions));
            }
        }

        return result;
    }

    private static bool IsReferenceResource(string name) =>
        name == "reference.conf" || name.EndsWith(".reference.conf", StringComparison.Ordinal);

    internal static ConfigObject ParseUnresolved(string text, ConfigParseOptions options) =>
        Parser.Parse(text, ParseContext.ForSyntax(options.Syntax, options.OriginName, options.BaseDirectory));

    internal static ConfigObject ParseFileUnresolved(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException($"cannot read configuration file '{path}': {e.Message}", null, null, e);
        }

        var full = Path.GetFullPath(path);
        var context = new ParseContext(path, Path.GetDirectoryName(full), ParseContext.SyntaxOf(path), ConfigPath.Root, [full], 0);
        return Parser.Parse(text, context);
    }
}
