namespace ActorRecorder.Media.Processes.Internal;

/// <summary>What <c>/proc/PID/stat</c> says about a process (proc(5)): its state, its parent, and when it started.</summary>
/// <param name="State">Field 3: R, S, D, T (stopped), Z (zombie), X (dead)...</param>
/// <param name="ParentPid">Field 4.</param>
/// <param name="StartTime">Field 22: clock ticks from boot to the process's start; with the pid, it names one process for good.</param>
internal readonly record struct ProcStat(char State, int ParentPid, ulong StartTime)
{
    /// <summary>False for a zombie (it exited and waits for its parent to reap it) or a dying process: it does nothing any more.</summary>
    public bool IsRunning => State is not ('Z' or 'X');

    /// <summary>Null when there is no such process (any more).</summary>
    public static ProcStat? Read(int pid) => Parse(ProcFile.ReadText($"/proc/{pid}/stat"));

    /// <summary>This process's own line (never null on Linux).</summary>
    public static ProcStat? ReadSelf() => Parse(ProcFile.ReadText("/proc/self/stat"));

    public static ProcStat? Parse(string? stat)
    {
        // Field 2, the command name in parentheses, may itself hold spaces and parentheses: split after the last ')'.
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0 || close + 2 >= stat!.Length)
        {
            return null;
        }
        var fields = stat[(close + 2)..].Split(' ');
        return fields.Length >= 20 && fields[0].Length == 1
            && int.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var parent)
            && ulong.TryParse(fields[19], System.Globalization.CultureInfo.InvariantCulture, out var start)
                ? new ProcStat(fields[0][0], parent, start)
                : null;
    }
}
