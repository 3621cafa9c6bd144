using ActorRecorder.Media.FileSystem;
using ActorRecorder.Media.Processes.Internal;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// Finds recorder processes that outlived the node that started them (a SIGKILLed node leaves its ffmpeg
/// running: .NET ignores SIGPIPE and children inherit that, so the broken pipe does not end them). Each
/// recorder writes its pid next to its files; a process is only killed if its command line still names
/// that directory, so a recycled pid is never touched.
/// </summary>
public static class OrphanReaper
{
    public const string PidFileExtension = ".pid";

    /// <summary>Records <paramref name="pid"/> for the recorder writing with <paramref name="prefix"/> in <paramref name="directory"/> (blocking: call it on a blocking-I/O thread).</summary>
    public static void WritePidFile(string directory, string prefix, int pid) =>
        File.WriteAllText(Path.Combine(directory, prefix + PidFileExtension), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void DeletePidFile(string directory, string prefix) =>
        File.Delete(Path.Combine(directory, prefix + PidFileExtension));

    /// <summary>Kills (SIGKILL) every recorder still running for <paramref name="directory"/> and waits until each is gone.</summary>
    /// <returns>The pids that were killed.</returns>
    public static async Task<IReadOnlyList<int>> KillOrphansAsync(string directory, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var killed = new List<int>();
        // The folder may be on a mount that hangs: it is read on a blocking-I/O thread.
        var pidFiles = await BlockingIo.Run(() => Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*" + PidFileExtension).Select(file => (File: file, Text: File.ReadAllText(file))).ToList()
            : []).ConfigureAwait(false);
        foreach (var (pidFile, text) in pidFiles)
        {
            if (int.TryParse(text, out var pid) && CommandLineMentions(pid, directory) && Signals.Send(pid, Signals.SigKill))
            {
                killed.Add(pid);
                var started = System.Diagnostics.Stopwatch.StartNew();
                // A zombie (killed, waiting for its parent to reap it) writes nothing any more.
                while (ProcStat.Read(pid) is { IsRunning: true } && started.Elapsed < wait)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                }
            }
            await BlockingIo.Run(() => File.Delete(pidFile)).ConfigureAwait(false);
        }
        return killed;
    }

    private static bool CommandLineMentions(int pid, string directory) =>
        ProcFile.ReadText($"/proc/{pid}/cmdline") is { } cmdline // null: no such process (any more)
        && cmdline.Replace('\0', ' ').Contains(Path.GetFullPath(directory), StringComparison.Ordinal);
}
