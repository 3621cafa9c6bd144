using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

/// <summary>
/// The conformance equality (lightbend-equiv README): objects by key set and values regardless of order,
/// lists in order, numbers by value, strings exactly. Returns the first difference, or null.
/// </summary>
internal static class ValueEquality
{
    public static string? Difference(ConfigValue expected, ConfigValue actual, string path = "")
    {
        switch (expected, actual)
        {
            case (ConfigObject e, ConfigObject a):
                var missing = e.Keys.Except(a.Keys).Concat(a.Keys.Except(e.Keys)).ToList();
                if (missing.Count > 0)
                {
                    return $"{path}: keys differ ({string.Join(", ", missing)})";
                }

                return e.Keys.Select(k => Difference(e[k], a[k], path + "/" + k)).FirstOrDefault(d => d is not null);
            case (ConfigList e, ConfigList a):
                if (e.Count != a.Count)
                {
                    return $"{path}: list length {e.Count} vs {a.Count}";
                }

                return e.Select((item, i) => Difference(item, a[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            case (ConfigNumber e, ConfigNumber a):
                return e.ValueEquals(a) ? null : $"{path}: {e.Text} vs {a.Text}";
            case (ConfigString e, ConfigString a):
                return e.Value == a.Value ? null : $"{path}: \"{e.Value}\" vs \"{a.Value}\"";
            case (ConfigBoolean e, ConfigBoolean a):
                return e.Value == a.Value ? null : $"{path}: {e.Value} vs {a.Value}";
            case (ConfigNull, ConfigNull):
                return null;
            default:
                return $"{path}: {expected.GetType().Name} vs {actual.GetType().Name}";
        }
    }

    public static void AssertEqual(ConfigValue expected, ConfigValue actual)
    {
        var difference = Difference(expected, actual);
        Assert.True(difference is null, $"values differ at {difference}\nexpected:\n{expected}\nactual:\n{actual}");
    }
}
