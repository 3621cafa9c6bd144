using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings.Internal;

/// <summary>
/// One object of a configuration, read by key, whose errors always name the key's full path from the root
/// (<c>actor-recorder.channels[2].recording.poll-interval</c>) even when the object is a list item, whose own
/// getters only know paths relative to the item.
/// </summary>
internal sealed class SettingsSection
{
    private readonly Config _config;
    private readonly string _prefix;
    private readonly string _fullPrefix;

    private SettingsSection(Config config, string prefix, string fullPrefix, ConfigOrigin? origin)
    {
        _config = config;
        _prefix = prefix;
        _fullPrefix = fullPrefix;
        Origin = origin;
    }

    /// <summary>Where the object itself is defined: the position given to errors about a missing key.</summary>
    public ConfigOrigin? Origin { get; }

    /// <summary>The object at <paramref name="path"/> of a root config.</summary>
    /// <exception cref="ConfigException">The path holds something other than an object.</exception>
    public static SettingsSection Of(Config root, string path) =>
        Of(root, path, path, root.GetValue(path));

    /// <summary>The object at <paramref name="relativePath"/> of <paramref name="config"/>, reported as <paramref name="fullPath"/>.</summary>
    public static SettingsSection Of(Config config, string relativePath, string fullPath, ConfigValue? value) => value switch
    {
        ConfigObject obj => new SettingsSection(config, relativePath + ".", fullPath + ".", obj.Origin),
        null or ConfigNull => new SettingsSection(config, relativePath + ".", fullPath + ".", value?.Origin),
        _ => throw new ConfigException($"expected an object {{ ... }}, found {ConfigDescription.Of(value)}", value.Origin, fullPath),
    };

    /// <summary>A list item (whole config <paramref name="item"/>), reported as <paramref name="fullPath"/>.</summary>
    public static SettingsSection Item(Config item, string fullPath, ConfigOrigin? origin) =>
        new(item, "", fullPath + ".", origin);

    /// <summary>The sub-object <paramref name="key"/> of this one.</summary>
    public SettingsSection Child(string key) => Of(_config, _prefix + key, _fullPrefix + key, ValueOf(key));

    public string PathOf(string key) => _fullPrefix + key;

    /// <summary>Whether the key holds a value other than null.</summary>
    public bool Has(string key) => _config.HasPath(_prefix + key);

    public ConfigValue? ValueOf(string key) => _config.GetValue(_prefix + key);

    public ConfigOrigin? OriginOf(string key) => ValueOf(key)?.Origin ?? Origin;

    public string GetString(string key) => Read(key, static (config, path) => config.GetString(path));

    public TimeSpan GetTimeSpan(string key) => Read(key, static (config, path) => config.GetTimeSpan(path));

    public long GetByteSize(string key) => Read(key, static (config, path) => config.GetByteSize(path));

    public int GetInt(string key) => Read(key, static (config, path) => config.GetInt(path));

    /// <summary>A switch: on, off (or true/false, yes/no).</summary>
    public bool GetOnOff(string key) => GetString(key).Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var other => throw Invalid(key, $"'{other}' is not on or off"),
    };

    /// <summary>The items of the list of objects <paramref name="key"/>, each reported as <c>key[i]</c> (the caller checked the items are objects).</summary>
    public IReadOnlyList<SettingsSection> Items(string key)
    {
        var list = (ConfigList)ValueOf(key)!;
        return [.. _config.GetConfigList(_prefix + key).Select((item, i) => Item(item, $"{PathOf(key)}[{i}]", list[i].Origin))];
    }

    public IReadOnlyList<string> GetStringList(string key) => Read(key, static (config, path) => config.GetStringList(path));

    /// <summary>An error about the key's value: positioned at the value (or at this object when the key is missing).</summary>
    public ConfigException Invalid(string key, string reason) => new(reason, OriginOf(key), PathOf(key));

    private T Read<T>(string key, Func<Config, string, T> getter)
    {
        try
        {
            return getter(_config, _prefix + key);
        }
        catch (ConfigException e)
        {
            // The getter names the path relative to _config; say the full one, keep the value's position.
            var origin = e.Line is { } line ? new ConfigOrigin(e.File, line, e.Column ?? 0) : Origin;
            throw new ConfigException(e.Reason, origin, PathOf(key), e);
        }
    }
}
