using System.Globalization;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings.Internal;

/// <summary>Short descriptions of values and durations for error messages.</summary>
internal static class ConfigDescription
{
    public static string Of(ConfigValue value) => value switch
    {
        ConfigObject => "an object",
        ConfigList => "a list",
        ConfigString s => $"the string \"{s.Value}\"",
        ConfigNumber n => $"the number {n.Text}",
        ConfigBoolean b => b.Value ? "true" : "false",
        _ => "null",
    };

    /// <summary>A duration as it would be written in HOCON: <c>infinite</c>, <c>30s</c>, <c>1500ms</c>.</summary>
    public static string Of(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? "infinite"
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / TimeSpan.TicksPerSecond}s")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds}ms");
}
