using System.Text.RegularExpressions;
using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private const string ChannelsPath = "actor-recorder.channels";
    private const int MaxIdLength = 64;
    private const string DefaultResolver = "generic";

    /// <summary>The URL schemes a channel (and a probe) may use.</summary>
    public static readonly IReadOnlyList<string> UrlSchemes = ["http", "https", "rtmp", "rtmps", "rtsp", "srt", "file"];

    /// <summary>The keys a channel may set; its <c>recording</c> block takes every key <c>actor-recorder.recording</c> takes.</summary>
    private static KeyShape ChannelKeys(KeyShape recording) => KeyShape.Object(
        ("id", KeyShape.Value),
        ("url", KeyShape.Value),
        ("resolver", KeyShape.Value),
        ("recording", recording),
        ("upload", KeyShape.Object(("targets", KeyShape.Value))));

    private static IReadOnlyList<ChannelSettings> ReadChannels(Config root, string baseDir, RecordingSettings global, DeliverySettings delivery)
    {
        var value = root.GetValue(ChannelsPath);
        if (value is null or ConfigNull)
        {
            return [];
        }

        if (value is not ConfigList list)
        {
            throw new ConfigException(
                $"expected a list of channels, e.g. [ {{ id = \"demo\", url = \"https://...\" }} ], found {ConfigDescription.Of(value)}",
                value.Origin, ChannelsPath);
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not ConfigObject)
            {
                throw new ConfigException(
                    $"expected a channel object, e.g. {{ id = \"demo\", url = \"https://...\" }}, found {ConfigDescription.Of(list[i])}",
                    list[i].Origin, $"{ChannelsPath}[{i}]");
            }
        }

        var items = root.GetConfigList(ChannelsPath);
        var channels = new List<ChannelSettings>(items.Count);
        var firstById = new Dictionary<string, (string Path, ConfigOrigin? Origin)>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var channel = SettingsSection.Item(items[i], $"{ChannelsPath}[{i}]", list[i].Origin);
            var id = ReadId(channel);
            if (firstById.TryGetValue(id, out var first))
            {
                throw channel.Invalid("id",
                    $"duplicate channel id '{id}': {first.Path} at {first.Origin?.ToString() ?? "an unknown position"} already has it; channel ids must be unique");
            }

            firstById[id] = (channel.PathOf("id"), channel.OriginOf("id"));
            var url = ReadUrl(channel);
            var resolver = ReadResolver(channel);
            var recording = channel.ValueOf("recording") is null or ConfigNull
                ? global
                : ReadRecording(channel.Child("recording"), baseDir, inherited: global);
            // A channel's own upload.targets overrides the node's list; the targets' settings stay the node's.
            var channelDelivery = channel.Has("upload.targets") ? delivery with { Targets = ReadTargets(channel.Child("upload")) } : delivery;
            channels.Add(new ChannelSettings(id, url, resolver, recording) { Delivery = channelDelivery });
        }

        return channels;
    }

    private static string ReadId(SettingsSection channel)
    {
        const string Rule = "lower-case letters, digits, '.', '_' and '-' (^[a-z0-9._-]+$), not \".\" or \"..\", at most 64 characters";
        if (!channel.Has("id"))
        {
            throw channel.Invalid("id", $"missing: every channel needs an id of {Rule}");
        }

        var id = channel.GetString("id");
        if (id.Length == 0 || !IdPattern().IsMatch(id) || id is "." or ".." || id.Length > MaxIdLength)
        {
            var why = id.Length > MaxIdLength ? $"is {id.Length} characters long" : "is not allowed";
            throw channel.Invalid("id", $"channel id '{id}' {why}; use {Rule}");
        }

        return id;
    }

    private static string ReadUrl(SettingsSection channel)
    {
        var schemes = string.Join(", ", UrlSchemes);
        if (!channel.Has("url"))
        {
            throw channel.Invalid("url", $"missing: every channel needs a url, an absolute URL with scheme {schemes}");
        }

        var url = channel.GetString("url");
        if (url.Length == 0 || url.Any(char.IsWhiteSpace))
        {
            throw channel.Invalid("url", $"'{url}' is not a URL: it must be non-empty and contain no whitespace (write a space as %20)");
        }

        // On Unix, Uri also takes "/path" as a file URI; only a URL that names its scheme is accepted.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !url.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            throw channel.Invalid("url", $"'{url}' is not an absolute URL; expected one with scheme {schemes}, e.g. https://example.com/live");
        }

        if (!UrlSchemes.Contains(uri.Scheme))
        {
            throw channel.Invalid("url", $"unsupported scheme '{uri.Scheme}' in '{url}'; use one of {schemes}");
        }

        if (uri.Scheme != "file" && uri.Host.Length == 0)
        {
            throw channel.Invalid("url", $"'{url}' has no host; expected e.g. {uri.Scheme}://example.com/live");
        }

        return url;
    }

    private static string ReadResolver(SettingsSection channel)
    {
        var resolver = channel.Has("resolver") ? channel.GetString("resolver") : DefaultResolver;
        return KnownResolvers.Contains(resolver)
            ? resolver
            : throw channel.Invalid("resolver",
                $"unknown resolver '{resolver}'; known: {string.Join(", ", KnownResolvers.Order(StringComparer.Ordinal))}");
    }

    // \z, not $: "$" also matches before a trailing newline.
    [GeneratedRegex(@"^[a-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
