namespace ActorRecorder.Benchmarks;

/// <summary>Runs benchmark suites by name and prints <c>RESULT name value unit</c> lines.</summary>
public static class Program
{
    private static readonly Dictionary<string, Func<string[], Task>> Suites = new(StringComparer.Ordinal)
    {
        ["kernel"] = KernelBenchmark.Run,
        ["persistence"] = PersistenceBenchmark.Run,
        ["recording"] = RecordingBenchmark.Run,
        ["delivery"] = DeliveryBenchmark.Run,
    };

    public static async Task<int> Main(string[] args)
    {
        var selected = args.Length > 0 ? [args[0]] : Suites.Keys.ToArray();
        foreach (var name in selected)
        {
            if (!Suites.TryGetValue(name, out var run))
            {
                await Console.Error.WriteLineAsync($"unknown benchmark '{name}'; known: {string.Join(", ", Suites.Keys)}");
                return 2;
            }
            Console.WriteLine($"# benchmark {name}");
            await run(args.Skip(1).ToArray());
        }
        return 0;
    }
}
