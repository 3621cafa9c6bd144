using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Network;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// A secret named by the configuration key every node sets it under, never its value. Settings carry references: to
/// other nodes (a channel's settings travel with <c>ConfigureChannel</c> and the cluster's channel list), into the
/// journal and out of the management API. The value is looked up only where it is used, in the running node's own
/// configuration or environment (<see cref="SecretStore"/>), so no token crosses the wire or lands in the database.
/// </summary>
[JsonConverter(typeof(SecretRefJsonConverter))]
public sealed record SecretRef(string Key)
{
    /// <summary>The Bot API token (<c>upload.telegram.bot-token</c>, or the environment variable TELEGRAM_BOT_TOKEN).</summary>
    public static readonly SecretRef TelegramBotToken = new("actor-recorder.upload.telegram.bot-token");

    /// <summary>Every secret a node's configuration may set.</summary>
    public static readonly IReadOnlyList<SecretRef> All = [TelegramBotToken];

    public override string ToString() => $"secret {Key}";
}

/// <summary>
/// Writes a <see cref="SecretRef"/> as its key. Reads a key; a string that is no key is a token written by a version
/// before references (the bot token was the only secret settings held), read as that token's reference and dropped.
/// </summary>
internal sealed class SecretRefJsonConverter : JsonConverter<SecretRef>
{
    private static readonly FrozenDictionary<string, SecretRef> Known = SecretRef.All.ToFrozenDictionary(s => s.Key, StringComparer.Ordinal);

    public override SecretRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("a secret reference must be a string");
        return Known.GetValueOrDefault(text) ?? SecretRef.TelegramBotToken;
    }

    public override void Write(Utf8JsonWriter writer, SecretRef value, JsonSerializerOptions options) => writer.WriteStringValue(value.Key);
}

/// <summary>The secrets one node's configuration sets, by key. Never logged: <see cref="ToString"/> names the keys only.</summary>
public sealed class NodeSecrets
{
    private readonly FrozenDictionary<string, string> _values;
    private readonly FrozenDictionary<string, ProxyUrl> _proxies;

    private NodeSecrets(FrozenDictionary<string, string> values, FrozenDictionary<string, ProxyUrl> proxies)
    {
        _values = values;
        _proxies = proxies;
    }

    public static readonly NodeSecrets None = new(FrozenDictionary<string, string>.Empty, FrozenDictionary<string, ProxyUrl>.Empty);

    /// <summary>
    /// Each of <see cref="SecretRef.All"/> that <paramref name="root"/> sets to something other than blanks, and every
    /// proxy with a password it names (<c>proxy</c>, a template's, a channel's), by <see cref="ProxyUrl.Reference"/>.
    /// </summary>
    public static NodeSecrets Read(Config root) => new(SecretRef.All
        .Where(s => root.HasPath(s.Key) && root.GetString(s.Key).Trim().Length > 0)
        .ToFrozenDictionary(s => s.Key, s => root.GetString(s.Key).Trim(), StringComparer.Ordinal),
        ProxiesIn(root).Where(p => p.HasPassword).DistinctBy(p => p.Reference).ToFrozenDictionary(p => p.Reference, StringComparer.Ordinal));

    /// <summary>The value, or null when this node's configuration does not set it.</summary>
    public string? Find(SecretRef secret) => _values.GetValueOrDefault(secret.Key);

    /// <summary>The proxy with the password this node's configuration gives it, or null when it gives none.</summary>
    public ProxyUrl? Find(ProxyUrl proxy) => _proxies.GetValueOrDefault(proxy.Reference);

    public override string ToString() =>
        $"NodeSecrets [{string.Join(", ", _values.Keys.Order(StringComparer.Ordinal).Concat(_proxies.Keys.Order(StringComparer.Ordinal)))}]";

    /// <summary>The proxies the configuration names that can be read (the settings reader reports the others).</summary>
    private static IEnumerable<ProxyUrl> ProxiesIn(Config root)
    {
        IEnumerable<ConfigValue?> values = [
            root.GetValue("actor-recorder.proxy"),
            .. root.GetValue("actor-recorder.templates") is ConfigObject templates
                ? templates.Values.OfType<ConfigObject>().Select(t => t.GetValueOrDefault("proxy"))
                : [],
            .. root.GetValue("actor-recorder.channels") is ConfigList channels
                ? channels.OfType<ConfigObject>().Select(c => c.GetValueOrDefault("proxy"))
                : [],
        ];
        foreach (var value in values.OfType<ConfigString>())
        {
            ProxyUrl? proxy;
            try
            {
                proxy = value.Value.Trim().Length > 0 ? ProxyUrl.Parse(value.Value) : null;
            }
            catch (FormatException)
            {
                proxy = null;
            }
            if (proxy is not null)
            {
                yield return proxy;
            }
        }
    }
}

/// <summary>
/// The running node's secrets, replaced when its configuration file is reloaded (a rotated token is used from the next
/// request on). Thread-safe.
/// </summary>
public sealed class SecretStore(NodeSecrets secrets)
{
    private volatile NodeSecrets _secrets = secrets;

    public SecretStore() : this(NodeSecrets.None)
    {
    }

    public void Replace(NodeSecrets secrets) => _secrets = secrets;

    /// <summary>
    /// <paramref name="proxy"/> with the password this node's configuration gives it (a channel's settings from another
    /// node or the journal carry none); as it is when the configuration names it without one. Null stays null.
    /// </summary>
    public ProxyUrl? Resolve(ProxyUrl? proxy) => proxy is null ? null : _secrets.Find(proxy) ?? proxy;

    /// <summary>The value of <paramref name="secret"/> in this node's configuration.</summary>
    /// <exception cref="SecretMissingException">This node's configuration does not set it.</exception>
    public string Resolve(SecretRef secret) => _secrets.Find(secret) ?? throw new SecretMissingException(secret);
}

/// <summary>A setting refers to a secret that the running node's configuration does not set.</summary>
public sealed class SecretMissingException(SecretRef secret) : Exception(
    $"this node's configuration does not set {secret.Key}: every node that may run a channel needs the secrets its settings name, "
    + "in its own configuration file or environment (secrets never travel between nodes)")
{
    public SecretRef Secret { get; } = secret;
}
