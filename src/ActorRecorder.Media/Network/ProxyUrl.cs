using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorRecorder.Media.Network;

/// <summary>
/// An HTTP proxy a channel's checks and recordings go through (<c>proxy = "http://user:pass@host:port"</c>). Its
/// credentials never appear in text: <see cref="ToString"/> masks the password, and the tools get the proxy in their
/// environment (<see cref="Environment"/>), never on a command line, which other users of the machine can read. Its
/// wire form (JSON, in a channel's settings: between nodes, in the journal) is <see cref="Reference"/>, without the
/// password; a node finds the password in its own configuration, the way it finds every secret.
/// </summary>
/// <remarks>
/// Only <c>http://</c> proxies: ffmpeg, which records every channel, speaks no other kind (its <c>http_proxy</c> is
/// used for plain HTTP, and as a CONNECT tunnel for HTTPS and every HLS playlist and segment). A <c>socks5://</c> or
/// <c>https://</c> proxy is refused when the settings are read, with that reason, rather than used by the checks and
/// silently bypassed by the recording.
/// </remarks>
[JsonConverter(typeof(ProxyUrlJsonConverter))]
public sealed class ProxyUrl : IEquatable<ProxyUrl>
{
    private const string Mask = "********";

    private readonly string _url;

    private ProxyUrl(string url, Uri address, NetworkCredential? credential)
    {
        _url = url;
        Address = address;
        Credential = credential;
    }

    /// <summary>Where the proxy listens, without credentials.</summary>
    public Uri Address { get; }

    /// <summary>The user and password the proxy asks for (Basic), when the URL has them.</summary>
    public NetworkCredential? Credential { get; }

    /// <summary>The URL without its password (<c>http://user@host:port</c>): what names this proxy outside the node's own configuration.</summary>
    public string Reference => Credential is null ? _url : $"{Address.Scheme}://{Uri.EscapeDataString(Credential.UserName)}@{Address.Authority}";

    /// <summary>Whether it carries a password (one read from a configuration does; one read from the wire never does).</summary>
    public bool HasPassword => Credential is { Password.Length: > 0 };

    /// <summary>
    /// The variables a tool reads its proxy from: ffmpeg and ffprobe read <c>http_proxy</c> (for HTTPS too), yt-dlp and
    /// streamlink (Python) the lower- and upper-case <c>http_proxy</c>/<c>https_proxy</c>. <c>no_proxy</c> is cleared: a
    /// channel's proxy applies to every request it makes, whatever the node's own environment exempts.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["http_proxy"] = _url,
        ["https_proxy"] = _url,
        ["HTTP_PROXY"] = _url,
        ["HTTPS_PROXY"] = _url,
        ["no_proxy"] = null,
        ["NO_PROXY"] = null,
    };

    /// <summary>Reads a proxy URL.</summary>
    /// <exception cref="FormatException">It is not an http:// URL with a host and a port (the message says why, never the password).</exception>
    public static ProxyUrl Parse(string text)
    {
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{MaskText(trimmed)}' is not a proxy URL; expected http://host:port or http://user:password@host:port");
        }
        if (uri.Scheme is "socks4" or "socks4a" or "socks5" or "socks5h" or "socks")
        {
            throw new FormatException(
                $"a {uri.Scheme} proxy cannot be used: ffmpeg, which records every channel, speaks only http proxies " +
                "(its checks could go through it, its recording would not); run an http proxy in front of it, or use http://host:port");
        }
        if (uri.Scheme != "http")
        {
            throw new FormatException($"unsupported proxy scheme '{uri.Scheme}'; ffmpeg and the platform tools take http://host:port");
        }
        var hostPort = trimmed[(trimmed.IndexOf("://", StringComparison.Ordinal) + 3)..];
        hostPort = hostPort[(hostPort.LastIndexOf('@') + 1)..];
        hostPort = hostPort.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? hostPort[..slash] : hostPort;
        if (!hostPort.Contains(':', StringComparison.Ordinal) || !char.IsAsciiDigit(hostPort[^1]))
        {
            throw new FormatException($"'{MaskText(trimmed)}' names no port; write it, e.g. http://{uri.Host}:8080");
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new FormatException($"'{MaskText(trimmed)}' has a path; a proxy URL is http://host:port");
        }
        NetworkCredential? credential = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            credential = colon < 0
                ? new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo), "")
                : new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }
        var address = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
        return new ProxyUrl($"{uri.Scheme}://{(uri.UserInfo.Length > 0 ? uri.UserInfo + "@" : "")}{uri.Authority}", address, credential);
    }

    /// <summary>The proxy for .NET's HTTP clients: every request goes through it, loopback too (a <see cref="WebProxy"/> exempts loopback).</summary>
    public IWebProxy AsWebProxy() => new AlwaysProxy(this);

    /// <summary>The URL with its password masked: <c>http://user:********@host:port</c>.</summary>
    public override string ToString() => MaskText(_url);

    /// <summary>The same proxy as the same user (<see cref="Reference"/>): the password is a secret, not part of the setting.</summary>
    public bool Equals(ProxyUrl? other) => other is not null && Reference == other.Reference;

    public override bool Equals(object? obj) => Equals(obj as ProxyUrl);

    public override int GetHashCode() => Reference.GetHashCode(StringComparison.Ordinal);

    /// <summary>Any text with the password of a <c>scheme://user:password@</c> masked.</summary>
    private static string MaskText(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return text;
        }
        var userInfo = text[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : $"{text[..(scheme + 3)]}{userInfo[..colon]}:{Mask}{text[at..]}";
    }

    private sealed class AlwaysProxy(ProxyUrl proxy) : IWebProxy
    {
        public ICredentials? Credentials { get => proxy.Credential; set => throw new NotSupportedException("a channel's proxy credentials come from its URL"); }

        public Uri GetProxy(Uri destination) => proxy.Address;

        public bool IsBypassed(Uri host) => false;
    }
}

/// <summary>Writes a proxy as its <see cref="ProxyUrl.Reference"/> (never its password); reads one back.</summary>
internal sealed class ProxyUrlJsonConverter : JsonConverter<ProxyUrl>
{
    public override ProxyUrl Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("a proxy must be a string");
        try
        {
            return ProxyUrl.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, ProxyUrl value, JsonSerializerOptions options) => writer.WriteStringValue(value.Reference);
}
