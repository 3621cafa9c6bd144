using System.Globalization;

namespace ActorRecorder.ClusterLab;

/// <summary>Memory and CPU of processes, read from /proc (Linux).</summary>
public static class ProcessStats
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    /// <summary>Resident set size in bytes.</summary>
    public static long Rss(int pid) => KiloBytes($"/proc/{pid}/status", "VmRSS:") * 1024;

    /// <summary>Proportional set size in bytes (shared pages split among their users: fair for many ffmpegs).</summary>
    public static long Pss(int pid) => KiloBytes($"/proc/{pid}/smaps_rollup", "Pss:") * 1024;

    /// <summary>User + system CPU time consumed so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The direct children of <paramref name="parent"/> whose command is <paramref name="name"/>.</summary>
    public static IReadOnlyList<int> Children(int parent, string name) =>
        Named(name).Where(p => p.ParentPid == parent).Select(p => p.Pid).ToList();

    /// <summary>A running process: its pid, its parent's, and its arguments (from /proc/PID/cmdline).</summary>
    public sealed record RunningProcess(int Pid, int ParentPid, IReadOnlyList<string> Arguments);

    /// <summary>Every process whose command (/proc/PID/stat's name) is <paramref name="name"/>, zombies excluded.</summary>
    public static IReadOnlyList<RunningProcess> Named(string name)
    {
        var found = new List<RunningProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (stat[(open + 1)..close] != name || fields[0] is "Z" or "X")
                {
                    continue;
                }
                var arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                found.Add(new RunningProcess(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), arguments));
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or IndexOutOfRangeException)
            {
                // gone meanwhile
            }
        }
        return found;
    }

    private static long KiloBytes(string file, string key)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
