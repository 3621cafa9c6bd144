using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ActorRecorder.Media.Processes.Internal;

namespace ActorRecorder.Media.Tests.Processes;

/// <summary>What the watchdog specs share: the real <c>actorrecorder watchdog</c> to run, and how to see a process die.</summary>
internal static class WatchdogFixture
{
    /// <summary>How long any one phase may take before it counts as failed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static readonly string Dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static readonly string CliPath = typeof(WatchdogFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliPath").Value!;

    /// <summary><c>dotnet actorrecorder.dll watchdog --timeout ...</c></summary>
    public static IReadOnlyList<string> Arguments(TimeSpan timeout) =>
        [CliPath, "watchdog", "--timeout", timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms"];

    /// <summary>The line the watchdog logs first, once it reads its input.</summary>
    public static bool IsStartLine(string line) => line.StartsWith("watchdog ", StringComparison.Ordinal) && line.Contains(" started ", StringComparison.Ordinal);

    public static bool IsRunning(int pid) => ProcStat.Read(pid) is { IsRunning: true };

    /// <summary>
    /// How long until <paramref name="pid"/> is gone or a zombie (it does nothing any more), at most <see cref="Patience"/>:
    /// polled against /proc, since another process's state (not our child's) has nothing to await.
    /// </summary>
    public static async Task<TimeSpan> TimeUntilGoneAsync(int pid)
    {
        var watch = Stopwatch.StartNew();
        while (IsRunning(pid) && watch.Elapsed < Patience)
        {
            await Task.Delay(20);
        }
        return watch.Elapsed;
    }

    /// <summary>How long until our child <paramref name="process"/> has exited, at most <see cref="Patience"/>.</summary>
    public static async Task<TimeSpan> TimeUntilExitAsync(Media.Processes.ChildProcess process)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAny(process.Completion, Task.Delay(Patience));
        return watch.Elapsed;
    }

    /// <summary>Cleans up after a failed spec: SIGKILLs <paramref name="pid"/> if it still runs <paramref name="name"/>.</summary>
    public static void KillIfStill(int pid, string name)
    {
        if (IsRunning(pid) && WatchedProcess.NameOf(pid) == name)
        {
            Media.Processes.Signals.Send(pid, Media.Processes.Signals.SigKill);
        }
    }
}
