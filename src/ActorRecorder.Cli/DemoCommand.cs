using System.CommandLine;

namespace ActorRecorder.Cli;

internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Shows the recorder working on a synthetic live stream");
        command.SetAction(_ =>
        {
            Console.WriteLine("The recording demo arrives with the recording engine; this build has the actor kernel only.");
            return 0;
        });
        return command;
    }
}
