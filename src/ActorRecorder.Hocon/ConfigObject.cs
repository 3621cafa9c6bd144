using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorRecorder.Hocon;

/// <summary>An object with its keys in definition order.</summary>
public sealed class ConfigObject : ConfigValue, IReadOnlyDictionary<string, ConfigValue>
{
    private static readonly IReadOnlyDictionary<string, ConfigOrigin> NoKeyOrigins = new Dictionary<string, ConfigOrigin>(StringComparer.Ordinal);

    private readonly OrderedDictionary<string, ConfigValue> _fields;
    private readonly IReadOnlyDictionary<string, ConfigOrigin> _keyOrigins;
    private readonly bool _resolved;
    private readonly long _weight;

    public ConfigObject(IEnumerable<KeyValuePair<string, ConfigValue>> fields, ConfigOrigin? origin = null)
        : this(Copy(fields), origin)
    {
    }

    /// <summary>
    /// Takes ownership of <paramref name="fields"/> and <paramref name="keyOrigins"/> (where each key was written,
    /// for the keys whose position is known); callers must not mutate them afterwards.
    /// </summary>
    internal ConfigObject(OrderedDictionary<string, ConfigValue> fields, ConfigOrigin? origin, IReadOnlyDictionary<string, ConfigOrigin>? keyOrigins = null)
        : base(origin)
    {
        _fields = fields;
        _keyOrigins = keyOrigins ?? NoKeyOrigins;
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

    /// <summary>The known key positions (immutable): shared by a derived object with the same keys.</summary>
    internal IReadOnlyDictionary<string, ConfigOrigin> KeyOrigins => _keyOrigins;

    internal override bool IsResolved => _resolved;

    internal override long Weight => _weight;

    public ConfigValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => _fields.TryGetValue(key, out value);

    /// <summary>
    /// Where <paramref name="key"/> itself is written (its first character; in <c>a.b.c = 1</c> each segment's own
    /// position), in the definition that set it last: an included file's position for a key from an include, the
    /// referenced object's for the keys of <c>a = ${b}</c>. Unlike the value's <see cref="ConfigValue.Origin"/>, it
    /// stays on the key when the value comes from elsewhere (<c>key = ${other}</c>). Null when the key is missing or
    /// its position is unknown (an object built in code).
    /// </summary>
    public ConfigOrigin? KeyOrigin(string key) => _keyOrigins.GetValueOrDefault(key);

    public IEnumerator<KeyValuePair<string, ConfigValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal ConfigObject WithIgnoresFallbacks() =>
        IgnoresFallbacks ? this : new ConfigObject(_fields, Origin, _keyOrigins) { IgnoresFallbacks = true };

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
