using System.Globalization;

namespace ActorRecorder.Media.Processes.Internal;

/// <summary>
/// What a node writes to its watchdog's standard input, one line each (ASCII, ending in '\n'):
/// <list type="bullet">
/// <item><c>+PID</c>: a recording process started; watch it (it is identified then, by its start time and command line).</item>
/// <item><c>-PID</c>: it has exited; forget it (its pid may be reused from now on).</item>
/// <item><c>.</c>: a heartbeat, once a second.</item>
/// <item><c>@HOLDER</c>: the node holds leases in the cluster's database as HOLDER (its address and incarnation); once the
/// node is dead and its recordings are gone, they may be released at once.</item>
/// </list>
/// Any line shows that the node is alive; a line the watchdog does not understand is logged and otherwise ignored.
/// The end of the input means that the node has stopped or died.
/// </summary>
internal static class WatchdogLine
{
    public const string Heartbeat = ".";

    public static string Watch(int pid) => "+" + pid.ToString(CultureInfo.InvariantCulture);

    public static string Forget(int pid) => "-" + pid.ToString(CultureInfo.InvariantCulture);

    public static string LeaseHolder(string holder) =>
        IsHolder(holder) ? "@" + holder : throw new ArgumentException($"'{holder}' is not a lease holder (printable ASCII, no spaces)", nameof(holder));

    /// <summary>The holder of an <c>@HOLDER</c> line; false for anything else.</summary>
    public static bool TryParseLeaseHolder(string line, out string holder)
    {
        holder = line.Length > 1 && line[0] == '@' ? line[1..] : "";
        return IsHolder(holder);
    }

    private static bool IsHolder(string holder) => holder.Length is > 0 and <= 300 && holder.All(c => c is > ' ' and <= '~');

    /// <summary>The pid of a <c>+PID</c> or <c>-PID</c> line (<paramref name="watch"/> tells which); false for a heartbeat or anything else.</summary>
    public static bool TryParse(string line, out bool watch, out int pid)
    {
        watch = line.StartsWith('+');
        pid = 0;
        return line.Length > 1 && line[0] is '+' or '-'
            && int.TryParse(line.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out pid) && pid > 0;
    }
}
