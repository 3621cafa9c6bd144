namespace ActorRecorder.Media.Processes.Internal;

/// <summary>
/// One process as it was when the watchdog was told about it: its pid, start time (<c>/proc/PID/stat</c> field 22) and
/// command line. A later process that reuses the pid has another start time; one that the pid exec'd has another
/// command line: neither is this process, and neither is ever killed in its place.
/// </summary>
internal sealed class WatchedProcess(int pid, ulong startTime, byte[] commandLine, string name)
{
    public int Pid { get; } = pid;

    public ulong StartTime { get; } = startTime;

    /// <summary>The executable's short name (<c>/proc/PID/comm</c>), for log lines: the command line may hold secrets (a URL's token).</summary>
    public string Name { get; } = name;

    /// <summary>Null when <paramref name="pid"/> is not running (gone, or a zombie).</summary>
    public static WatchedProcess? Capture(int pid) =>
        ProcStat.Read(pid) is { IsRunning: true } stat && ProcFile.ReadBytes($"/proc/{pid}/cmdline") is { } commandLine
            ? new WatchedProcess(pid, stat.StartTime, commandLine, NameOf(pid))
            : null;

    public static string NameOf(int pid) => ProcFile.ReadText($"/proc/{pid}/comm")?.TrimEnd('\n') ?? "gone";

    /// <summary>What is at the pid now: this very process, running; another process; or nothing (gone, or a zombie).</summary>
    public Presence Check()
    {
        if (ProcStat.Read(Pid) is not { IsRunning: true } stat || ProcFile.ReadBytes($"/proc/{Pid}/cmdline") is not { } now)
        {
            return Presence.Gone;
        }
        return stat.StartTime == StartTime && now.AsSpan().SequenceEqual(commandLine) ? Presence.Running : Presence.Replaced;
    }

    public enum Presence
    {
        Running,
        Replaced,
        Gone,
    }
}
