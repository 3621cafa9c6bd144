using System.CommandLine;

namespace ActorRecorder.Cli;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("actorrecorder: records live streams unattended");
        var run = RunCommand.Create();
        var watchdog = WatchdogCommand.Create();
        root.Subcommands.Add(run);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(watchdog);
        var parsed = root.Parse(args);
        // A node stops through its host's own SIGTERM handling (a graceful stop takes up to 10 s) and the watchdog ignores
        // SIGTERM: System.CommandLine's handler, which ends the process 2 s after the signal, must not cut either short.
        var ownsSignals = parsed.CommandResult.Command == run || parsed.CommandResult.Command == watchdog;
        return parsed.InvokeAsync(ownsSignals ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null);
    }
}
