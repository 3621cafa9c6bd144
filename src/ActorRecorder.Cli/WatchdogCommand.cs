using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ActorRecorder.Host.Leases;
using ActorRecorder.Media.Processes;
using Npgsql;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>watchdog [--timeout 3s]</c>, hidden from the help: started by a node (<see cref="RecorderWatchdog"/>), never by a
/// person. It kills the node's recordings when the node dies or stays silent for the timeout, and exits with the node
/// (<see cref="WatchdogLoop"/> says how). No actor system, no configuration: it must start fast and stay small.
/// <para>
/// A cluster node also gives it the database of its leases (<see cref="LeaseDatabaseVariable"/>) and its lease holder
/// (an <c>@HOLDER</c> line per incarnation). When the node dies (its input ends: a crash, the OOM killer, a SIGKILL) and
/// every recording it killed is gone, it deletes those leases: nothing of the node can act under them any more, so the
/// other nodes take its channels at once instead of after the lease's ttl. A frozen node's leases are never touched (it
/// may thaw; its own fence stops it), nor a dead node's whose recordings it could not see gone (they then expire).
/// </para>
/// </summary>
internal static class WatchdogCommand
{
    /// <summary>The environment variable with the Npgsql connection string of the node's leases (absent: none to release).</summary>
    public const string LeaseDatabaseVariable = "ACTORRECORDER_WATCHDOG_LEASE_DATABASE";

    /// <summary>How long the release may take: past it, the leases expire after their ttl as they would have anyway.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

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
        var database = Environment.GetEnvironmentVariable(LeaseDatabaseVariable) is { Length: > 0 } value ? value : null;
        // Connecting once now loads and compiles the client, so the release after a crash takes milliseconds, not a second.
        if (database is not null)
        {
            _ = Task.Run(() => WarmAsync(database)); // never faults
        }
        var end = await new WatchdogLoop(timeout, Console.Error).RunAsync(input);
        if (database is not null && end.LeaseHolders.Count > 0)
        {
            await ReleaseAsync(database, end);
        }
        return 0;
    }

    private static async Task ReleaseAsync(string database, NodeGone end)
    {
        var holders = string.Join(", ", end.LeaseHolders);
        if (!end.RecordingsGone)
        {
            await Console.Error.WriteLineAsync($"left the leases of {holders} to expire: a recording of the node may still run");
            return;
        }
        try
        {
            using var deadline = new CancellationTokenSource(ReleaseTimeout);
            var released = await PostgresLease.ReleaseAllOfAsync(database, end.LeaseHolders, deadline.Token);
            await Console.Error.WriteLineAsync($"released {released} lease(s) of {holders}: the node and its recordings are gone, so other nodes may take its channels now");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"could not release the leases of {holders} ({ex.Message}): they expire after their ttl");
        }
    }

    private static async Task WarmAsync(string database)
    {
        try
        {
            using var deadline = new CancellationTokenSource(ReleaseTimeout);
            await PostgresLease.ReleaseAllOfAsync(database, [], deadline.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            // The release connects again when it is needed, and says so if it fails then.
        }
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
