using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>watchdog [--timeout 3s]</c>, hidden from the help: started by a node (<see cref="RecorderWatchdog"/>), never by a
/// person. It kills the node's recordings when the node dies or stays silent for the timeout, and exits with the node
/// (<see cref="WatchdogLoop"/> says how). No actor system, no configuration: it must start fast and stay small.
/// </summary>
internal static class WatchdogCommand
{
    public static Command Create()
    {
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Kill the watched processes when no line has come from the node for this long (e.g. 3s, 500ms)",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(3),
            CustomParser = ParseDuration,
        };
        var command = new Command("watchdog", "Kill a node's recordings when the node dies or freezes (started by the node; reads +PID, -PID and '.' lines on standard input)")
        {
            Hidden = true,
        };
        command.Options.Add(timeout);
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(timeout))); // Program installs no signal handler for it
        return command;
    }

    private static async Task<int> RunAsync(TimeSpan timeout)
    {
        // SIGINT (Ctrl+C reaches the whole process group) and SIGTERM (systemd signals the whole unit) ask the node to stop,
        // and its recordings to finish their files: the watchdog ignores them and ends with the node, when its input ends.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
        using var input = new StreamReader(Console.OpenStandardInput(), Encoding.ASCII);
        await new WatchdogLoop(timeout, Console.Error).RunAsync(input);
        return 0;
    }

    /// <summary>A duration in seconds or milliseconds: <c>3s</c>, <c>2.5s</c>, <c>500ms</c>.</summary>
    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : ("", 0);
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * unit >= 1)
        {
            return TimeSpan.FromMilliseconds(value * unit);
        }
        result.AddError($"--timeout: '{text}' is not a duration of at least 1ms such as 3s or 500ms");
        return default;
    }
}
