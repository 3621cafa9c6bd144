using System.Text.RegularExpressions;
using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Network;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private const string ChannelsPath = "actor-recorder.channels";
    private const string TemplatesPath = "actor-recorder.templates";
    private const int MaxIdLength = 64;
    private const string DefaultResolver = "generic";

    /// <summary>The URL schemes a channel (and a probe) may use.</summary>
    public static readonly IReadOnlyList<string> UrlSchemes = ["http", "https", "rtmp", "rtmps", "rtsp", "srt", "file"];

    /// <summary>The keys a channel may set; its <c>recording</c> block takes every key <c>actor-recorder.recording</c> takes.</summary>
    private static KeyShape ChannelKeys(KeyShape recording) => KeyShape.Object(
    [
        ("id", KeyShape.Value),
        ("url", KeyShape.Value),
        ("urls", KeyShape.ListOf(KeyShape.Object(("url", KeyShape.Value), ("resolver", KeyShape.Value)))),
        ("template", KeyShape.Value),
        .. SharedChannelKeys(recording),
    ]);

    /// <summary>The keys a template may set: a channel's, except those that name one channel (id, url, urls) or templates.</summary>
    private static KeyShape TemplateKeys(KeyShape recording) => KeyShape.Object(SharedChannelKeys(recording));

    private static (string, KeyShape)[] SharedChannelKeys(KeyShape recording) =>
    [
        ("resolver", KeyShape.Value),
        ("cookies-file", KeyShape.Value),
        ("proxy", KeyShape.Value),
        ("hooks", KeyShape.Object([.. HookSettings.Names.Append("timeout").Select(name => (name, KeyShape.Value))])),
        ("storage", KeyShape.Object(("retention", KeyShape.Object(("max-age", KeyShape.Value), ("max-size", KeyShape.Value), ("min-free-disk-action", KeyShape.Value))))),
        ("recording", recording),
        ("upload", KeyShape.Object(("targets", KeyShape.Value))),
    ];

    private static IReadOnlyList<ChannelSettings> ReadChannels(Config root, string baseDir, RecordingSettings global, DeliverySettings delivery)
    {
        var proxy = ReadProxy(SettingsSection.Of(root, SectionPath), null);
        var retention = ReadRetention(SettingsSection.Of(root, "actor-recorder.storage.retention"), null);
        var hooks = ReadHooks(SettingsSection.Of(root, "actor-recorder.hooks"), baseDir, null);
        var templates = ReadTemplates(root);
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
            var own = SettingsSection.Item(items[i], $"{ChannelsPath}[{i}]", list[i].Origin);
            var channel = SettingsSection.Item(WithTemplates(items[i], own, templates), $"{ChannelsPath}[{i}]", list[i].Origin);
            var id = ReadId(channel);
            if (firstById.TryGetValue(id, out var first))
            {
                throw channel.Invalid("id",
                    $"duplicate channel id '{id}': {first.Path} at {first.Origin?.ToString() ?? "an unknown position"} already has it; channel ids must be unique");
            }

            firstById[id] = (channel.PathOf("id"), channel.OriginOf("id"));
            var sources = ReadSources(channel);
            var cookies = channel.Has("cookies-file") ? ReadCookiesFile(channel, baseDir) : null;
            var recording = channel.ValueOf("recording") is null or ConfigNull
                ? global
                : ReadRecording(channel.Child("recording"), baseDir, inherited: global);
            // A channel's own upload.targets overrides the node's list; the targets' settings stay the node's.
            var channelDelivery = channel.Has("upload.targets") ? delivery with { Targets = ReadTargets(channel.Child("upload")) } : delivery;
            channels.Add(new ChannelSettings(id, sources[0].Url, sources[0].Resolver, recording)
            {
                Sources = sources,
                CookiesFile = cookies,
                Proxy = ReadProxy(channel, proxy),
                Hooks = channel.Has("hooks") ? ReadHooks(channel.Child("hooks"), baseDir, hooks) : hooks,
                Retention = channel.Has("storage.retention") ? ReadRetention(channel.Child("storage").Child("retention"), retention) : retention,
                Delivery = channelDelivery,
            });
        }

        return channels;
    }

    /// <summary>The templates by name (<c>actor-recorder.templates</c>): each an object, named by a plain key.</summary>
    private static IReadOnlyDictionary<string, Config> ReadTemplates(Config root)
    {
        var value = root.GetValue(TemplatesPath);
        if (value is null or ConfigNull)
        {
            return new Dictionary<string, Config>(StringComparer.Ordinal);
        }
        if (value is not ConfigObject templates)
        {
            throw new ConfigException(
                $"expected an object of named templates, e.g. {{ twitch {{ resolver = ytdlp }} }}, found {ConfigDescription.Of(value)}", value.Origin, TemplatesPath);
        }
        var byName = new Dictionary<string, Config>(StringComparer.Ordinal);
        foreach (var (name, template) in templates)
        {
            var path = $"{TemplatesPath}.{name}";
            if (!TemplateNamePattern().IsMatch(name))
            {
                throw new ConfigException($"template name '{name}' is not allowed; use lower-case letters, digits, '_' and '-'",
                    templates.KeyOrigin(name) ?? template.Origin, path);
            }
            if (template is not ConfigObject)
            {
                throw new ConfigException(
                    $"expected a template object, e.g. {{ recording {{ segment-duration = 30m }} }}, found {ConfigDescription.Of(template)}", template.Origin, path);
            }
            byName[name] = root.GetConfig(path);
        }
        return byName;
    }

    /// <summary>
    /// A channel with the templates it names (<c>template = NAME</c> or a list) under its own keys: key by key, its own
    /// value, else the last named template's that sets it, else the defaults (read by the callers).
    /// </summary>
    private static Config WithTemplates(Config channel, SettingsSection own, IReadOnlyDictionary<string, Config> templates)
    {
        if (!own.Has("template"))
        {
            return channel;
        }
        var names = own.ValueOf("template") switch
        {
            ConfigString name => [name.Value],
            ConfigList list when list.All(item => item is ConfigString) => list.Select(item => ((ConfigString)item).Value).ToList(),
            _ => throw own.Invalid("template", "expected a template name or a list of names, e.g. template = twitch or template = [twitch, archive-only]"),
        };
        var effective = channel;
        foreach (var name in names.AsEnumerable().Reverse())
        {
            if (!templates.TryGetValue(name, out var template))
            {
                throw own.Invalid("template", templates.Count == 0
                    ? $"unknown template '{name}': no templates are defined (actor-recorder.templates)"
                    : $"unknown template '{name}'; defined: {string.Join(", ", templates.Keys.Order(StringComparer.Ordinal))}");
            }
            effective = effective.WithFallback(template);
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw own.Invalid("template", "names a template twice");
        }
        return effective;
    }

    [GeneratedRegex(@"^[a-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateNamePattern();

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

    /// <summary>Either <c>url</c> (with <c>resolver</c>) or <c>urls = [ { url, resolver }, ... ]</c> in priority order, never both.</summary>
    private static IReadOnlyList<ChannelSource> ReadSources(SettingsSection channel)
    {
        if (!channel.Has("urls"))
        {
            if (!channel.Has("url"))
            {
                throw channel.Invalid("url",
                    $"missing: every channel needs a url, an absolute URL with scheme {string.Join(", ", UrlSchemes)} (or urls = [ {{ url, resolver }}, ... ])");
            }
            return [new ChannelSource(ReadUrl(channel), ReadResolver(channel))];
        }
        if (channel.Has("url") || channel.Has("resolver"))
        {
            throw channel.Invalid(channel.Has("url") ? "url" : "resolver", "a channel sets either url (and resolver) or urls, not both");
        }
        if (channel.ValueOf("urls") is not ConfigList list || list.Count == 0)
        {
            throw channel.Invalid("urls", "expected a non-empty list of sources in priority order, e.g. [ { url = \"https://...\", resolver = ytdlp } ]");
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not ConfigObject)
            {
                throw new ConfigException($"expected a source object {{ url, resolver }}, found {ConfigDescription.Of(list[i])}", list[i].Origin, $"{channel.PathOf("urls")}[{i}]");
            }
        }
        var sources = new List<ChannelSource>(list.Count);
        foreach (var item in channel.Items("urls"))
        {
            var source = new ChannelSource(ReadUrl(item), ReadResolver(item));
            if (sources.Contains(source))
            {
                throw item.Invalid("url", $"'{source.Url}' is listed twice");
            }
            sources.Add(source);
        }
        return sources;
    }

    /// <summary>A <c>hooks</c> block: every key when <paramref name="inherited"/> is null, else the keys it sets over it.</summary>
    private static HookSettings ReadHooks(SettingsSection section, string baseDir, HookSettings? inherited)
    {
        IReadOnlyList<string> Command(string name)
        {
            if (inherited is not null && !section.Has(name))
            {
                return inherited.For(name);
            }
            if (section.ValueOf(name) is not ConfigList)
            {
                throw section.Invalid(name, "expected a command and its arguments as a list, e.g. [ \"/usr/local/bin/hook.sh\", \"--flag\" ], or [] for none");
            }
            var command = section.GetStringList(name);
            if (command.Count > 0 && command[0].Trim().Length == 0)
            {
                throw section.Invalid(name, "the command (the list's first item) is empty");
            }
            return command.Count == 0 ? [] : [command[0].Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(command[0], baseDir) : command[0], .. command.Skip(1)];
        }

        var timeout = inherited is null || section.Has("timeout") ? Duration(section, "timeout", TimeSpan.FromSeconds(1)) : inherited.Timeout;
        if (timeout > TimeSpan.FromHours(24))
        {
            throw section.Invalid("timeout", $"must be at most 24h, got {timeout}");
        }
        return new HookSettings(Command(HookSettings.SegmentFinishedHook), Command(HookSettings.SessionEndedHook), Command(HookSettings.PartDeliveredHook),
            Command(HookSettings.SessionDeliveredHook), timeout);
    }

    /// <summary>A <c>retention</c> block: every key when <paramref name="inherited"/> is null, else the keys it sets over it.</summary>
    private static RetentionSettings ReadRetention(SettingsSection section, RetentionSettings? inherited)
    {
        bool Reads(string key) => inherited is null || section.Has(key);
        var maxAge = Reads("max-age") ? Duration(section, "max-age", TimeSpan.Zero) : inherited!.MaxAge;
        if (maxAge > TimeSpan.Zero && maxAge < TimeSpan.FromMinutes(1))
        {
            throw section.Invalid("max-age", $"must be 0 (off) or at least 1m, got {maxAge.TotalSeconds:0.###} s");
        }
        var maxSize = Reads("max-size") ? section.GetByteSize("max-size") : inherited!.MaxSize;
        if (maxSize is < 0 or > 0 and < 1L << 20)
        {
            throw section.Invalid("max-size", $"must be 0 (off) or at least 1MiB, got {maxSize} bytes");
        }
        var purge = Reads("min-free-disk-action")
            ? section.GetString("min-free-disk-action").Trim().ToLowerInvariant() switch
            {
                "stop" => false,
                "purge" => true,
                var other => throw section.Invalid("min-free-disk-action", $"'{other}' is not allowed; use stop or purge"),
            }
            : inherited!.PurgeWhenDiskLow;
        return new RetentionSettings(maxAge, maxSize, purge);
    }

    /// <summary>The section's <c>proxy</c> ("" for none), else <paramref name="inherited"/>; the error never shows the password.</summary>
    private static ProxyUrl? ReadProxy(SettingsSection section, ProxyUrl? inherited)
    {
        if (!section.Has("proxy"))
        {
            return inherited;
        }
        var text = section.GetString("proxy");
        try
        {
            return text.Trim().Length == 0 ? null : ProxyUrl.Parse(text);
        }
        catch (FormatException ex)
        {
            throw section.Invalid("proxy", ex.Message);
        }
    }

    /// <summary>Exists, can be read and is a Netscape cookies file; the error names the file's line, never a cookie.</summary>
    private static string ReadCookiesFile(SettingsSection channel, string baseDir)
    {
        var path = Path.GetFullPath(RequiredPath(channel, "cookies-file"), baseDir);
        try
        {
            Platforms.Cookies.NetscapeCookies.Read(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw channel.Invalid("cookies-file", $"{path} does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw channel.Invalid("cookies-file", $"{path} cannot be read: {ex.Message}");
        }
        catch (FormatException ex)
        {
            throw channel.Invalid("cookies-file", $"{path} is not a Netscape cookies file: {ex.Message}");
        }
        return path;
    }

    private static string ReadUrl(SettingsSection channel)
    {
        var schemes = string.Join(", ", UrlSchemes);

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
