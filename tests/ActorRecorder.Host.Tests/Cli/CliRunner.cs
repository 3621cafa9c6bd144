using System.Diagnostics;
using System.Reflection;

namespace ActorRecorder.Host.Tests.Cli;

/// <summary>Runs the real <c>actorrecorder</c> executable as a user would, and returns its exit code and output.</summary>
public static class CliRunner
{
    private static readonly string CliPath = typeof(CliRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliPath").Value!;

    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    public static async Task<Result> RunAsync(string[] arguments, string? input = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false,
        };
        info.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["COLUMNS"] = "200"; // tables are not wrapped at the pipe's default 80 columns
        info.Environment.Remove("ACTORRECORDER_MANAGEMENT_TOKEN");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
