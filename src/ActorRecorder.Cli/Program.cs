using System.CommandLine;
using ActorRecorder.Cli.Management;

namespace ActorRecorder.Cli;

public static class Program
{
    /// <summary>Exit codes: 0 done, 1 failed, 2 the command line was wrong.</summary>
    public const int UsageError = 2;

    public static Task<int> Main(string[] args)
    {
        // Tables piped to a file or another program are not wrapped at 80 columns (COLUMNS sets the width).
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
        {
            Spectre.Console.AnsiConsole.Profile.Width = columns;
        }
        else if (Console.IsOutputRedirected)
        {
            Spectre.Console.AnsiConsole.Profile.Width = 240;
        }
        var root = new RootCommand("actorrecorder: records live streams unattended; with --node alone, a shell on that node's management API");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(WatchdogCommand.Create());
        root.Subcommands.Add(CertificatesCommand.Create());
        GlobalOptions.AddTo(root);
        foreach (var palette in ManagementCommands.Create())
        {
            root.Subcommands.Add(palette);
        }
        root.SetAction(async (result, ct) =>
        {
            if (result.GetValue(GlobalOptions.Node) is { } node)
            {
                try
                {
                    return await Shell.RunAsync(root, node, result.GetValue(GlobalOptions.Token), ct);
                }
                catch (CliException ex)
                {
                    await Console.Error.WriteLineAsync("error: " + ex.Message);
                    return UsageError;
                }
            }
            await Console.Error.WriteLineAsync("error: no command given; see 'actorrecorder --help'");
            return UsageError;
        });
        return InvokeAsync(root, args);
    }

    /// <summary>Parses and runs one command line: a wrong one is reported with exit code 2, without running anything.</summary>
    public static Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine("error: " + error.Message);
            }
            Console.Error.WriteLine($"see 'actorrecorder {string.Join(' ', CommandPath(parsed.CommandResult))} --help'".Replace("  ", " ", StringComparison.Ordinal));
            return Task.FromResult(UsageError);
        }
        // A node stops through its host's own SIGTERM handling (a graceful stop takes up to 10 s) and the watchdog ignores
        // SIGTERM: System.CommandLine's handler, which ends the process 2 s after the signal, must not cut either short.
        var ownsSignals = parsed.CommandResult.Command.Name is "run" or "watchdog" && parsed.CommandResult.Parent is { } parent && parent.Parent is null;
        return parsed.InvokeAsync(ownsSignals ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null);
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is System.CommandLine.Parsing.CommandResult command && command.Parent is not null; r = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }
        return names;
    }
}
