using System.CommandLine;

namespace ActorRecorder.Cli;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("actorrecorder: records live streams unattended");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(WatchdogCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
