namespace ActorRecorder.Hocon;

/// <summary>
/// An immutable, fully resolved configuration. Getters take a HOCON path expression (<c>a.b."c.d"</c>).
/// A getter without a default throws a <see cref="ConfigException"/> naming the path when the setting is
/// missing or <c>null</c>; the overloads with a default return it in that case. Either way a value of the
/// wrong type or format throws, naming the path and where the value was defined.
/// </summary>
public sealed partial class Config
{
    internal Config(ConfigObject root)
    {
        Root = root;
    }

    public static Config Empty { get; } = new(ConfigObject.Empty);

    public ConfigObject Root { get; }

    public bool IsEmpty => Root.Count == 0;

    /// <summary>Whether the path holds a value other than <c>null</c>.</summary>
    public bool HasPath(string path) => Find(ConfigPath.Parse(path)) is { } value && value is not ConfigNull;

    /// <summary>The value at the path, or null when it is missing; an explicit <c>null</c> is returned as <see cref="ConfigNull"/>.</summary>
    public ConfigValue? GetValue(string path) => Find(ConfigPath.Parse(path));

    /// <summary>This configuration, with <paramref name="fallback"/> supplying what it lacks (objects merge; this one wins).</summary>
    public Config WithFallback(Config fallback) =>
        fallback.IsEmpty ? this : IsEmpty ? fallback : new Config((ConfigObject)Merger.Merge(fallback.Root, Root));

    /// <summary>
    /// A copy with <paramref name="value"/> at <paramref name="path"/> (objects on the way are merged, anything else there
    /// is replaced); every other key keeps its value and its origin.
    /// </summary>
    public Config WithValue(string path, ConfigValue value)
    {
        var segments = ConfigPath.Parse(path).Segments;
        var replacement = value;
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            replacement = new ConfigObject([new KeyValuePair<string, ConfigValue>(segments[i], replacement)], value.Origin);
        }
        return new Config((ConfigObject)replacement).WithFallback(this);
    }

    public Config GetConfig(string path) => new(Require<ConfigObject>(path, "an object"));

    public Config GetConfig(string path, Config defaultValue) =>
        Optional(path) is { } value ? new Config(As<ConfigObject>(value, path, "an object")) : defaultValue;

    public IReadOnlyList<Config> GetConfigList(string path) =>
        RequireList(path).Select(item => new Config(As<ConfigObject>(item, path, "a list of objects"))).ToList();

    /// <summary>Renders as HOCON; parsing the result gives an equal configuration.</summary>
    public override string ToString() => HoconRenderer.Render(Root);

    public string ToJson() => JsonRenderer.Render(Root);

    private ConfigValue? Find(ConfigPath path)
    {
        ConfigValue current = Root;
        foreach (var key in path.Segments)
        {
            if (current is not ConfigObject obj || !obj.TryGetValue(key, out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    /// <summary>The value, or null when missing or set to null.</summary>
    private ConfigValue? Optional(string path) => Find(ConfigPath.Parse(path)) is { } value and not ConfigNull ? value : null;

    private ConfigValue Require(string path)
    {
        var value = Find(ConfigPath.Parse(path));
        return value switch
        {
            null => throw new ConfigException("missing setting (no value and no default)", path: path),
            ConfigNull => throw new ConfigException("setting is null but a value is required", value.Origin, path),
            _ => value,
        };
    }

    private T Require<T>(string path, string expected)
        where T : ConfigValue => As<T>(Require(path), path, expected);

    private static T As<T>(ConfigValue value, string path, string expected)
        where T : ConfigValue =>
        value as T ?? throw WrongType(value, path, expected);

    private static ConfigException WrongType(ConfigValue value, string path, string expected) =>
        new($"expected {expected}, found {Describe(value)}", value.Origin, path);

    private static string Describe(ConfigValue value) => value switch
    {
        ConfigObject => "an object",
        ConfigList => "a list",
        ConfigString s => $"the string {HoconRenderer.Quote(s.Value)}",
        ConfigNumber n => $"the number {n.Text}",
        ConfigBoolean b => b.Value ? "true" : "false",
        _ => "null",
    };
}
