using System.Diagnostics;
using System.Reflection;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Benchmarks;

/// <summary>A node run as its own process (<c>actorrecorder run</c>), as users run it, so its memory and CPU are its own.</summary>
internal sealed class NodeProcess : IDisposable
{
    public static readonly string CliPath = typeof(NodeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliPath").Value!;

    private readonly Process _process;

    private NodeProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>The node build to run: this tree's, or an earlier one's given with <c>--baseline</c>.</summary>
    public sealed record Build(string Name, string DllPath);

    /// <summary>This tree's build, and the baseline's when <c>--baseline PATH</c> is among <paramref name="args"/>.</summary>
    public static IReadOnlyList<Build> Builds(string[] args)
    {
        var builds = new List<Build> { new("", CliPath) };
        var at = Array.IndexOf(args, "--baseline");
        if (at >= 0 && at + 1 < args.Length)
        {
            builds.Add(new Build("baseline.", Path.GetFullPath(args[at + 1])));
        }
        return builds;
    }

    public static NodeProcess Start(Build build, string config)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { build.DllPath, "run", "--config", config })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NodeProcess(process);
    }

    /// <summary>Every line of the nodes' output goes to this file too when <c>ACTORRECORDER_BENCH_LOG</c> names one (for a closer look).</summary>
    private static readonly string? FullLog = Environment.GetEnvironmentVariable("ACTORRECORDER_BENCH_LOG");

    public static void Log(string? line)
    {
        if (FullLog is not null && line is not null)
        {
            lock (FullLog)
            {
                File.AppendAllText(FullLog, line + "\n");
            }
        }
        // Warnings and errors only (the console format names the level: "warn:", "fail:", "crit:").
        if (line is not null && (line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal)
                                 || line.Contains(" crit: ", StringComparison.Ordinal) || line.StartsWith("error", StringComparison.Ordinal)))
        {
            Report.Note("node: " + line);
        }
    }

    public async Task StopAsync()
    {
        Signals.Send(_process.Id, Signals.SigTerm);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
