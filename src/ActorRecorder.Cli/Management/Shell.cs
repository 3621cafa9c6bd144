using System.CommandLine;
using System.Text;

namespace ActorRecorder.Cli.Management;

/// <summary>
/// <c>actorrecorder --node host:port</c> with no command: an interactive shell on that node, as pbm opens one. Each line
/// is a command as it would follow <c>actorrecorder</c> (<c>cluster show</c>, <c>channel stop demo</c>); <c>help</c>
/// lists them, <c>exit</c> or end of input leaves.
/// </summary>
internal static class Shell
{
    public static async Task<int> RunAsync(RootCommand root, string node, string? token, CancellationToken ct)
    {
        var address = NodeConnection.ParseNode(node);
        Console.WriteLine($"actorrecorder shell on {address} — 'help' lists the commands, 'exit' leaves");
        while (!ct.IsCancellationRequested)
        {
            Console.Write("actorrecorder> ");
            var line = await Console.In.ReadLineAsync(ct);
            if (line is null || line.Trim() is "exit" or "quit")
            {
                return 0;
            }
            var words = Split(line);
            if (words.Count == 0)
            {
                continue;
            }
            if (words is ["help"])
            {
                words = ["--help"];
            }
            else if (words[0] is "run" or "demo" or "watchdog" or "config")
            {
                await Console.Error.WriteLineAsync($"'{words[0]}' is not a shell command: run it as 'actorrecorder {words[0]} ...'");
                continue;
            }
            List<string> arguments = [.. words, "--node", node];
            if (token is not null)
            {
                arguments.AddRange(["--token", token]);
            }
            await Program.InvokeAsync(root, [.. arguments]);
        }
        return 0;
    }

    /// <summary>Words as a shell splits them: spaces separate, double or single quotes group.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
