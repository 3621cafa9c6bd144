using System.Collections.Frozen;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings.Internal;

/// <summary>
/// Which keys a configuration may set: an object's known keys, each with its own shape; a list whose items are
/// objects with known keys; or a value, below which nothing is checked (its type is its reader's business).
/// </summary>
internal sealed class KeyShape
{
    private readonly FrozenDictionary<string, KeyShape>? _keys;

    /// <summary>For an object whose keys are the user's names (templates): the shape of every value.</summary>
    private readonly KeyShape? _anyKey;

    private KeyShape(FrozenDictionary<string, KeyShape>? keys, KeyShape? items, KeyShape? anyKey = null)
    {
        _keys = keys;
        Items = items;
        _anyKey = anyKey;
    }

    /// <summary>A value: a leaf of the reference.</summary>
    public static KeyShape Value { get; } = new(null, null);

    /// <summary>Whether this is an object with known keys (or named by the user, each value of one shape).</summary>
    public bool IsObject => _keys is not null || _anyKey is not null;

    /// <summary>For a list of objects: the shape of each item.</summary>
    public KeyShape? Items { get; }

    /// <summary>The known keys of an object (none for a value or a list), in ordinal order.</summary>
    public IReadOnlyList<string> Keys => _keys is null ? [] : [.. _keys.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every key path of <paramref name="reference"/>, at any depth.</summary>
    public static KeyShape Of(ConfigObject reference) =>
        Object(reference.Select(field => (field.Key, field.Value is ConfigObject child ? Of(child) : Value)).ToArray());

    public static KeyShape Object(params (string Key, KeyShape Shape)[] keys) =>
        new(keys.ToFrozenDictionary(k => k.Key, k => k.Shape, StringComparer.Ordinal), null);

    public static KeyShape ListOf(KeyShape items) => new(null, items);

    /// <summary>An object whose keys are names the user chooses, each holding a <paramref name="values"/>.</summary>
    public static KeyShape MapOf(KeyShape values) => new(null, null, values);

    /// <summary>The shape of <paramref name="key"/>, or null when this object does not know it.</summary>
    public KeyShape? Child(string key) => _anyKey ?? _keys?.GetValueOrDefault(key);

    /// <summary>The shape at a dotted path of plain keys.</summary>
    /// <exception cref="KeyNotFoundException">The path is not in this shape.</exception>
    public KeyShape At(string path) =>
        path.Split('.').Aggregate(this, (shape, key) => shape.Child(key) ?? throw new KeyNotFoundException($"'{path}' is not in the shape"));

    /// <summary>This shape with the one at the dotted path <paramref name="path"/> replaced by <paramref name="shape"/>.</summary>
    public KeyShape With(string path, KeyShape shape)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var key = dot < 0 ? path : path[..dot];
        var replaced = dot < 0 ? shape : (Child(key) ?? throw new KeyNotFoundException($"'{key}' is not in the shape")).With(path[(dot + 1)..], shape);
        var keys = _keys ?? throw new InvalidOperationException("only an object's keys can be replaced");
        return Object([.. keys.Select(k => (k.Key, k.Key == key ? replaced : k.Value))]);
    }
}
