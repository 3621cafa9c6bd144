using System.Globalization;

namespace ActorRecorder.Benchmarks;

/// <summary>The benchmarks' command-line options beyond the suite names.</summary>
internal static class Options
{
    /// <summary>The number after <paramref name="name"/> (<c>--channels 200</c>), or null when it is not given.</summary>
    /// <exception cref="ArgumentException">The option is given without a positive number.</exception>
    public static int? Int(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return null;
        }
        return at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} takes a positive number, e.g. {name} 200");
    }
}
