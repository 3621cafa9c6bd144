using System.Globalization;
using System.Text.RegularExpressions;
using ActorRecorder.Media.Processes;
using static ActorRecorder.Media.Tests.Processes.WatchdogFixture;

namespace ActorRecorder.Media.Tests.Processes;

/// <summary>
/// The real <c>actorrecorder watchdog</c> under a node that dies: the node is a shell that starts the watchdog reading a
/// fifo (its stdin), the way a node starts it on a pipe, and is then SIGKILLed.
/// </summary>
public sealed partial class WatchdogProcessSpecs : IDisposable
{
    private static readonly TimeSpan NoTimeout = TimeSpan.FromMinutes(5);

    private readonly string _fifo = Path.Combine(Path.GetTempPath(), "ar-watchdog-" + Guid.NewGuid().ToString("N"));
    private readonly LogLines _log = new();

    [Fact(Timeout = 60_000)]
    public async Task A_SIGKILLed_node_must_have_its_recordings_killed_at_once_and_its_watchdog_exit()
    {
        await Tool.RunAsync("mkfifo", [_fifo], Patience);
        // The node holds the only write end of the watchdog's input; its recording must not inherit it (a .NET
        // node's children never do: .NET opens its pipes close-on-exec), or the input would never end.
        const string node = """
            "$1" "$2" watchdog --timeout "$3" < "$4" &
            exec 3> "$4"
            sleep 1000 3>&- &
            echo "$!"
            echo "+$!" >&3
            wait
            """;
        var recordingPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var shell = ChildProcess.Start("/bin/sh", ["-c", node, "sh", Dotnet, CliPath, Seconds(NoTimeout), _fifo],
            line => recordingPid.TrySetResult(int.Parse(line, CultureInfo.InvariantCulture)), _log.Add);
        var recording = await recordingPid.Task.WaitAsync(Patience);
        try
        {
            var watchdog = WatchdogPid(await _log.WaitForAsync(IsStartLine, "the watchdog starts"));
            await _log.WaitForAsync(l => l == $"watching pid {recording} (sleep)", "registration");

            Signals.Send(shell.Pid, Signals.SigKill); // the node alone, not its children: they are reparented

            // Killed because the pipe closed, which the log line says: the timeout (5 min) is far beyond this spec's patience.
            await TimeUntilGoneAsync(recording);
            Assert.False(IsRunning(recording), "the recording must be killed once its node is gone");
            await TimeUntilGoneAsync(watchdog);
            Assert.False(IsRunning(watchdog), "the watchdog must exit once its node is gone");
            await _log.WaitForAsync(l => l == $"killed pid {recording} (sleep): the node closed its end of the pipe (it stopped or died)", "the kill is logged");
        }
        finally
        {
            KillIfStill(recording, "sleep");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_watchdog_whose_parent_is_gone_must_kill_and_exit_even_if_its_input_stays_open()
    {
        await Tool.RunAsync("mkfifo", [_fifo], Patience);
        const string node = """
            "$1" "$2" watchdog --timeout "$3" < "$4" &
            wait
            """;
        await using var shell = ChildProcess.Start("/bin/sh", ["-c", node, "sh", Dotnet, CliPath, Seconds(NoTimeout), _fifo], onStderrLine: _log.Add);
        // This spec, not the node, holds the watchdog's input open: opening a fifo blocks until its reader opens it too.
        await using var input = await Task.Run(() => new FileStream(_fifo, FileMode.Open, FileAccess.Write)).WaitAsync(Patience);
        await using var recording = ChildProcess.Start("sleep", ["1000"]);
        await input.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"+{recording.Pid}\n"));
        await input.FlushAsync();
        var watchdog = WatchdogPid(await _log.WaitForAsync(IsStartLine, "the watchdog starts"));
        await _log.WaitForAsync(l => l == $"watching pid {recording.Pid} (sleep)", "registration");

        Signals.Send(shell.Pid, Signals.SigKill);

        // Killed because the parent is gone, which the log line says: the timeout (5 min) is far beyond this spec's patience.
        await TimeUntilExitAsync(recording);
        Assert.True(recording.HasExited, "the recording must be killed once the watchdog's parent is gone");
        await TimeUntilGoneAsync(watchdog);
        Assert.False(IsRunning(watchdog), "the watchdog must not linger without its parent");
        // The kill comes before its log line: await the line.
        await _log.WaitForAsync(l => Regex.IsMatch(l, $@"^killed pid {recording.Pid} \(sleep\): its parent \d+ \(the node\) is gone$"), "the kill is logged");
    }

    public void Dispose() => File.Delete(_fifo);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";

    private static int WatchdogPid(string startLine) => int.Parse(StartLine().Match(startLine).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^watchdog (\d+) started")]
    private static partial Regex StartLine();
}
