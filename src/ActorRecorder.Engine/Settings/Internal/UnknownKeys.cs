using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings.Internal;

/// <summary>
/// Refuses a key the engine does not know, so a typo (<c>grace-perod</c>) fails loudly instead of silently leaving
/// the default in force. The error is positioned at the key as the user wrote it and suggests the closest known key.
/// </summary>
internal static class UnknownKeys
{
    /// <summary>Checks every key of <paramref name="obj"/> (reported below <paramref name="path"/>) against <paramref name="shape"/>, at any depth.</summary>
    /// <exception cref="ConfigException">The first unknown key, in the order the keys are defined.</exception>
    public static void Check(ConfigObject obj, KeyShape shape, string path)
    {
        foreach (var (key, value) in obj)
        {
            var keyPath = path + "." + PathKey(key);
            var known = shape.Child(key) ?? throw Unknown(key, shape, keyPath, obj.KeyOrigin(key) ?? value.Origin ?? obj.Origin);
            if (value is ConfigObject child && known.IsObject)
            {
                Check(child, known, keyPath);
            }
            else if (value is ConfigList list && known.Items is { } items)
            {
                // Items that are not objects are the list reader's to report.
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is ConfigObject item)
                    {
                        Check(item, items, $"{keyPath}[{i}]");
                    }
                }
            }
        }
    }

    private static ConfigException Unknown(string key, KeyShape shape, string keyPath, ConfigOrigin? origin)
    {
        var suggestion = Closest(key, shape.Keys);
        var reason = suggestion is null
            ? $"unknown key '{key}'; valid keys here: {string.Join(", ", shape.Keys)}"
            : $"unknown key '{key}'; did you mean '{suggestion}'?";
        return new ConfigException(reason, origin, keyPath);
    }

    /// <summary>The known key a typo most likely meant: at most one edit in three characters (at least one) away, the nearest first.</summary>
    private static string? Closest(string key, IReadOnlyList<string> known)
    {
        var allowed = Math.Max(1, key.Length / 3);
        return known
            .Select(candidate => (Key: candidate, Distance: EditDistance.Between(key, candidate)))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();
    }

    /// <summary>A key as a path element: quoted when it would not read back as one plain key.</summary>
    internal static string PathKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? key
            : "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
