using System.Runtime.CompilerServices;

namespace ActorRecorder.Hocon;

/// <summary>Limits that keep hostile or broken input from overflowing the stack or exhausting memory.</summary>
internal static class Guard
{
    /// <summary>Deepest nesting of objects and arrays (and includes) accepted by the parser.</summary>
    public const int MaxDepth = 512;

    /// <summary>Largest number of values a resolved configuration may hold (substitutions can multiply values).</summary>
    public const long MaxWeight = 1_000_000;

    public static void Stack(ConfigOrigin? origin = null, string? path = null)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ConfigException("nesting too deep (the configuration is nested or chained too deeply to process)", origin, path);
        }
    }

    public static void Weight(ConfigValue value, string? path)
    {
        if (value.Weight > MaxWeight)
        {
            throw new ConfigException(
                $"configuration too large: substitutions expand it beyond {MaxWeight} values", value.Origin, path);
        }
    }
}
