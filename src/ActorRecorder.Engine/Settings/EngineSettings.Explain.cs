using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings;

/// <summary>One of a channel's effective settings: its key (below the channel), its value, and where the value was set.</summary>
public sealed record EffectiveSetting(string Key, string Value, string Origin);

public static partial class EngineSettings
{
    /// <summary>
    /// A channel's effective settings, key by key, each with the file, line and column its value came from: the defaults
    /// (<c>actor-recorder.recording</c>, <c>upload.targets</c> and <c>proxy</c>, the file's or the reference's), then each template it
    /// names, then its own keys. The configuration is validated first, as a node would.
    /// </summary>
    /// <exception cref="ConfigException">The configuration is not valid, or has no channel <paramref name="channelId"/>.</exception>
    public static IReadOnlyList<EffectiveSetting> ExplainChannel(Config config, string baseDirectory, string channelId)
    {
        var settings = Load(config, baseDirectory);
        var root = config.WithFallback(Reference);
        var index = settings.Channels.Select(c => c.Id).ToList().IndexOf(channelId);
        if (index < 0)
        {
            throw new ConfigException(settings.Channels.Count == 0
                ? $"no channel '{channelId}': the configuration has no channels"
                : $"no channel '{channelId}'; its channels: {string.Join(", ", settings.Channels.Select(c => c.Id))}", null, ChannelsPath);
        }
        var list = (ConfigList)root.GetValue(ChannelsPath)!;
        var item = root.GetConfigList(ChannelsPath)[index];
        var own = SettingsSection.Item(item, $"{ChannelsPath}[{index}]", list[index].Origin);
        var defaults = Config.Empty
            .WithValue("recording", root.GetValue("actor-recorder.recording")!)
            .WithValue("upload.targets", root.GetValue("actor-recorder.upload.targets")!)
            .WithValue("proxy", root.GetValue("actor-recorder.proxy")!)
            .WithValue("storage", root.GetValue("actor-recorder.storage")!)
            .WithValue("hooks", root.GetValue("actor-recorder.hooks")!);
        var effective = ConfigSecrets.MaskSecrets(WithTemplates(item, own, ReadTemplates(root)).WithFallback(defaults));
        var explained = new List<EffectiveSetting>();
        Flatten(effective.Root, "", explained);
        if (!effective.HasPath("resolver") && !effective.HasPath("urls"))
        {
            explained.Add(new EffectiveSetting("resolver", DefaultResolver, "the built-in default"));
        }
        return [.. explained.OrderBy(s => s.Key, StringComparer.Ordinal)];
    }

    private static void Flatten(ConfigObject obj, string prefix, List<EffectiveSetting> into)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix + UnknownKeys.PathKey(key);
            if (value is ConfigObject child)
            {
                Flatten(child, path + ".", into);
            }
            else
            {
                var text = value is ConfigString plain ? plain.Value : value.ToString();
                into.Add(new EffectiveSetting(path, text, value.Origin?.ToString() ?? "an unknown position"));
            }
        }
    }
}
