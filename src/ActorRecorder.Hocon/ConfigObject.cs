using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorRecorder.Hocon;

/// <summary>An object with its keys in definition order.</summary>
public sealed class ConfigObject : ConfigValue, IReadOnlyDictionary<string, ConfigValue>
{
    private readonly OrderedDictionary<string, ConfigValue> _fields;
    private readonly bool _resolved;
    private readonly long _weight;

    public ConfigObject(IEnumerable<KeyValuePair<string, ConfigValue>> fields, ConfigOrigin? origin = null)
        : this(Copy(fields), origin)
    {
    }

    /// <summary>Takes ownership of <paramref name="fields"/>; callers must not mutate it afterwards.</summary>
    internal ConfigObject(OrderedDictionary<string, ConfigValue> fields, ConfigOrigin? origin)
        : base(origin)
    {
        _fields = fields;
        _resolved = true;
        _weight = 1;
        foreach (var value in fields.Values)
        {
            _resolved &= value.IsResolved;
            _weight = SaturatingWeight.Add(_weight, value.Weight);
        }
    }

    public static ConfigObject Empty { get; } = new(new OrderedDictionary<string, ConfigValue>(), null);

    public int Count => _fields.Count;

    /// <summary>
    /// Set when this object replaced a non-object: merging is pairwise, so whatever that non-object hid
    /// stays hidden from later fallbacks (spec, "Config object merging and file merging"; how <c>null</c> clears defaults).
    /// </summary>
    internal bool IgnoresFallbacks { get; init; }

    public IEnumerable<string> Keys => _fields.Keys;

    public IEnumerable<ConfigValue> Values => _fields.Values;

    internal override bool IsResolved => _resolved;

    internal override long Weight => _weight;

    public ConfigValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => _fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, ConfigValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal ConfigObject WithIgnoresFallbacks() =>
        IgnoresFallbacks ? this : new ConfigObject(_fields, Origin) { IgnoresFallbacks = true };

    /// <summary>A copy of the fields, for building a derived object.</summary>
    internal OrderedDictionary<string, ConfigValue> ToBuilder()
    {
        var copy = new OrderedDictionary<string, ConfigValue>(_fields.Count, StringComparer.Ordinal);
        foreach (var (key, value) in _fields)
        {
            copy.Add(key, value);
        }

        return copy;
    }

    private static OrderedDictionary<string, ConfigValue> Copy(IEnumerable<KeyValuePair<string, ConfigValue>> fields)
    {
        var copy = new OrderedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            copy[key] = value;
        }

        return copy;
    }
}
