using System.Globalization;

namespace ActorRecorder.Benchmarks;

/// <summary>Prints results in the one format the README and CI read: <c>RESULT name value unit</c>.</summary>
internal static class Report
{
    public static void Result(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {name} {value:0.###} {unit}"));

    public static void Note(string text) => Console.WriteLine($"# {text}");
}
