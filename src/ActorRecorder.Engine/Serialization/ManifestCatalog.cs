using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorRecorder.Engine.Serialization;

/// <summary>
/// Serializes events and snapshots as UTF-8 JSON (System.Text.Json) under a stable manifest chosen
/// per type at registration, never the CLR type name, so types can be renamed or moved freely.
/// Old payloads are read through upcasters: <c>AddUpcaster("order-placed", json =&gt; ("order-placed.v2", json))</c>
/// rewrites a payload of a retired manifest into a newer one, and chains of upcasters are followed.
/// Register everything before the first use; afterwards the serializer is read-only and thread-safe.
/// </summary>
public sealed class ManifestCatalog
{
    private const int MaxUpcastSteps = 32;

    private readonly Dictionary<Type, string> _manifests = [];
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<JsonNode, (string Manifest, JsonNode Json)>> _upcasters = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _options;
    private volatile bool _frozen;

    public ManifestCatalog(JsonSerializerOptions? options = null)
    {
        _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.General);
    }

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/> (one manifest per type, one type per manifest).</summary>
    public ManifestCatalog Register<T>(string manifest) => Register(typeof(T), manifest);

    /// <inheritdoc cref="Register{T}"/>
    public ManifestCatalog Register(Type type, string manifest)
    {
        ArgumentNullException.ThrowIfNull(type);
        ValidateManifest(manifest);
        ThrowIfFrozen();
        if (_manifests.TryGetValue(type, out var existing))
        {
            throw new ArgumentException($"Type [{type.FullName}] is already registered as manifest [{existing}]", nameof(type));
        }
        if (_types.TryGetValue(manifest, out var other))
        {
            throw new ArgumentException($"Manifest [{manifest}] is already registered for type [{other.FullName}]", nameof(manifest));
        }
        if (_upcasters.ContainsKey(manifest))
        {
            throw new ArgumentException($"Manifest [{manifest}] has an upcaster: a retired manifest cannot also name a current type", nameof(manifest));
        }
        _manifests[type] = manifest;
        _types[manifest] = type;
        return this;
    }

    /// <summary>
    /// Reads payloads stored under the retired <paramref name="manifest"/> by rewriting their JSON:
    /// <paramref name="upcast"/> returns the manifest and JSON of a newer form (which may itself be upcast again).
    /// </summary>
    public ManifestCatalog AddUpcaster(string manifest, Func<JsonNode, (string Manifest, JsonNode Json)> upcast)
    {
        ValidateManifest(manifest);
        ArgumentNullException.ThrowIfNull(upcast);
        ThrowIfFrozen();
        if (_types.ContainsKey(manifest))
        {
            throw new ArgumentException($"Manifest [{manifest}] names the current type [{_types[manifest].FullName}]; an upcaster is for retired manifests", nameof(manifest));
        }
        if (!_upcasters.TryAdd(manifest, upcast))
        {
            throw new ArgumentException($"Manifest [{manifest}] already has an upcaster", nameof(manifest));
        }
        return this;
    }

    /// <summary>Every manifest the catalog reads: those of registered types and the retired ones it upcasts.</summary>
    public IReadOnlyCollection<string> Manifests => [.. _types.Keys, .. _upcasters.Keys];

    /// <summary>The manifest of <paramref name="type"/>, or null when it is not registered.</summary>
    public string? ManifestOf(Type type) => _manifests.GetValueOrDefault(type);

    /// <summary>Serializes <paramref name="value"/>.</summary>
    /// <exception cref="SerializationFailedException">Its type is not registered, or System.Text.Json cannot write it.</exception>
    public (string Manifest, byte[] Payload) Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _frozen = true;
        var type = value.GetType();
        if (!_manifests.TryGetValue(type, out var manifest))
        {
            throw new SerializationFailedException(
                $"Type [{type.FullName}] has no manifest: register it with ManifestCatalog.Register<{type.Name}>(\"a-stable-name\")");
        }
        try
        {
            return (manifest, JsonSerializer.SerializeToUtf8Bytes(value, type, _options));
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new SerializationFailedException($"Cannot serialize [{type.FullName}] (manifest [{manifest}]): {ex.Message}", ex);
        }
    }

    /// <summary>Reads a payload stored under <paramref name="manifest"/>, upcasting it first when the manifest is retired.</summary>
    /// <exception cref="UnknownManifestException">No type and no upcaster for the manifest (or for one an upcaster produced).</exception>
    /// <exception cref="SerializationFailedException">The JSON does not fit the type.</exception>
    public object Deserialize(string manifest, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        _frozen = true;
        if (_types.TryGetValue(manifest, out var type))
        {
            try
            {
                return NotNull(manifest, JsonSerializer.Deserialize(payload, type, _options));
            }
            catch (Exception ex) when (IsReadError(ex))
            {
                throw ReadFailed(manifest, type, ex);
            }
        }
        if (!_upcasters.ContainsKey(manifest))
        {
            throw new UnknownManifestException(manifest);
        }
        JsonNode node;
        try
        {
            node = (JsonNode)NotNull(manifest, JsonNode.Parse(payload));
        }
        catch (Exception ex) when (IsReadError(ex))
        {
            throw ReadFailed(manifest, typeof(JsonNode), ex);
        }
        return Upcast(manifest, node);
    }

    private object Upcast(string manifest, JsonNode node)
    {
        var current = manifest;
        for (var step = 0; step < MaxUpcastSteps; step++)
        {
            if (_types.TryGetValue(current, out var target))
            {
                try
                {
                    return NotNull(current, node.Deserialize(target, _options));
                }
                catch (Exception ex) when (IsReadError(ex))
                {
                    throw ReadFailed($"{current} (upcast from {manifest})", target, ex);
                }
            }
            if (!_upcasters.TryGetValue(current, out var upcast))
            {
                throw new UnknownManifestException(current);
            }
            var (nextManifest, nextJson) = upcast(node);
            ValidateManifest(nextManifest);
            current = nextManifest;
            node = nextJson ?? throw new SerializationFailedException($"The upcaster of manifest [{manifest}] returned no JSON");
        }
        throw new SerializationFailedException($"Upcasting manifest [{manifest}] did not reach a registered type in {MaxUpcastSteps} steps (a cycle?)");
    }

    private static object NotNull(string manifest, object? value) =>
        value ?? throw new SerializationFailedException($"The payload of manifest [{manifest}] is JSON null");

    private static bool IsReadError(Exception ex) =>
        ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException;

    private static SerializationFailedException ReadFailed(string manifest, Type type, Exception ex) =>
        new($"Cannot read manifest [{manifest}] as [{type.FullName}]: {ex.Message}", ex);

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("Register every type and upcaster before the serializer is first used");
        }
    }

    private static void ValidateManifest(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Length > 255)
        {
            throw new ArgumentException($"A manifest must be 1..255 characters and not blank, got [{manifest}]", nameof(manifest));
        }
    }
}
