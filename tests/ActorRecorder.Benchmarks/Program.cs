namespace ActorRecorder.Benchmarks;

/// <summary>
/// Runs benchmark suites by name and prints <c>RESULT name value unit</c> lines. <c>--baseline PATH</c> (an earlier
/// build's actorrecorder.dll) runs the recording and idle suites against it too, in the same run.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<string[], Task>> Suites = new(StringComparer.Ordinal)
    {
        ["recording"] = RecordingBenchmark.Run,
        ["idle"] = IdleBenchmark.Run,
        ["recovery"] = RecoveryBenchmark.Run,
        ["delivery"] = DeliveryBenchmark.Run,
        ["cluster"] = ClusterBenchmark.Run,
        ["operations"] = OperationsBenchmark.Run,
        ["journal"] = JournalBenchmark.Run,
    };

    /// <summary>Run by name only, never as part of "all": the cluster demo of <c>./build.sh cluster-demo</c>.</summary>
    private static readonly Dictionary<string, Func<string[], Task>> Demos = new(StringComparer.Ordinal)
    {
        ["cluster-demo"] = ClusterDemo.Run,
    };

    public static async Task<int> Main(string[] args)
    {
        var named = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var options = args.Skip(named.Length).ToArray();
        foreach (var name in named.Length > 0 ? named : Suites.Keys.ToArray())
        {
            if (!Suites.TryGetValue(name, out var run) && !Demos.TryGetValue(name, out run))
            {
                await Console.Error.WriteLineAsync($"unknown benchmark '{name}'; known: {string.Join(", ", Suites.Keys)}");
                return 2;
            }
            Console.WriteLine($"# benchmark {name}");
            await run(options);
        }
        return 0;
    }
}
