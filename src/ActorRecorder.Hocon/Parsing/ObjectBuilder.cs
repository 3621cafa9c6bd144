namespace ActorRecorder.Hocon;

/// <summary>The fields of an object being parsed and where each key is written; a key defined again merges (spec, "Duplicate keys").</summary>
internal sealed class ObjectBuilder
{
    private readonly OrderedDictionary<string, ConfigValue> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigOrigin> _keyOrigins = new(StringComparer.Ordinal);

    public void Add(string key, ConfigValue value, ConfigOrigin? keyOrigin)
    {
        _fields[key] = _fields.TryGetValue(key, out var existing) ? Merger.Merge(existing, value) : value;
        Merger.SetKeyOrigin(_keyOrigins, key, keyOrigin);
    }

    /// <summary>The object; the builder must not be used afterwards (the object owns its dictionaries).</summary>
    public ConfigObject Build(ConfigOrigin? origin) => new(_fields, origin, _keyOrigins);
}
