using System.CommandLine;
using System.Runtime.InteropServices;
using ActorRecorder.Hocon;
using ActorRecorder.Node;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>run --config FILE</c>: a single recorder node. SIGTERM or Ctrl+C stops it gracefully (ffmpeg finishes
/// its files, events are persisted) within 10 s; editing the file adds, removes and updates channels live.
/// </summary>
internal static class RunCommand
{
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(8);

    public static Command Create()
    {
        var file = new Option<FileInfo>("--config") { Description = "The node's configuration file (HOCON)", Required = true };
        var command = new Command("run", "Run a recorder node with the channels in the configuration file");
        command.Options.Add(file);
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(file)!.FullName));
        return command;
    }

    private static async Task<int> RunAsync(string configPath)
    {
        using var loggerFactory = ConsoleLogging.Create();
        RecorderNode node;
        try
        {
            node = await RecorderNode.StartAsync(configPath, loggerFactory);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
        var stop = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        var signal = await stop.Task;
        Console.Error.WriteLine($"{signal} received: stopping gracefully");
        await node.StopAsync(StopBudget);
        return 0;

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // we stop ourselves, gracefully
            stop.TrySetResult(context.Signal);
        }
    }
}
