namespace ActorRecorder.Hocon;

/// <summary>The one merge rule of HOCON (duplicate keys, includes, object concatenation, fallbacks).</summary>
internal static class Merger
{
    /// <summary>Lets <paramref name="newer"/> override <paramref name="older"/>: objects merge, anything else replaces.</summary>
    public static ConfigValue Merge(ConfigValue older, ConfigValue newer)
    {
        if (newer is ConfigObject newObject)
        {
            if (newObject.IgnoresFallbacks)
            {
                return newObject;
            }

            if (older is ConfigObject oldObject)
            {
                return MergeObjects(oldObject, newObject);
            }

            // An unresolved older value may still turn out to be an object that must merge underneath.
            return IsUnresolved(older) ? MergeStack.Of(older, newer) : newObject.WithIgnoresFallbacks();
        }

        // An unresolved newer value may refer to the older one (self-reference) or resolve to an object.
        return IsUnresolved(newer) ? MergeStack.Of(older, newer) : newer;
    }

    public static bool IsUnresolved(ConfigValue value) => value is Substitution or Concatenation or MergeStack;

    private static ConfigObject MergeObjects(ConfigObject older, ConfigObject newer)
    {
        Guard.Stack();
        var fields = older.ToBuilder();
        var keyOrigins = new Dictionary<string, ConfigOrigin>(older.KeyOrigins, StringComparer.Ordinal);
        foreach (var (key, value) in newer)
        {
            fields[key] = fields.TryGetValue(key, out var existing) ? Merge(existing, value) : value;
            SetKeyOrigin(keyOrigins, key, newer.KeyOrigin(key));
        }

        return new ConfigObject(fields, newer.Origin ?? older.Origin, keyOrigins) { IgnoresFallbacks = older.IgnoresFallbacks };
    }

    /// <summary>A key takes the position of its newest definition; where that one is unknown, no position is better than an older one.</summary>
    public static void SetKeyOrigin(Dictionary<string, ConfigOrigin> keyOrigins, string key, ConfigOrigin? origin)
    {
        if (origin is null)
        {
            keyOrigins.Remove(key);
        }
        else
        {
            keyOrigins[key] = origin;
        }
    }
}
