using System.CommandLine;
using System.CommandLine.Parsing;

namespace ActorRecorder.Cli;

/// <summary>
/// The options every command takes, before or after it (<c>actorrecorder --config node.conf cluster show</c> and
/// <c>actorrecorder cluster show --config node.conf</c> are the same): which node and token, the node's configuration,
/// and JSON output.
/// </summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Node = new("--node") { Description = "The node's management API as host:port (default: the node of --config or ./data, else 127.0.0.1:9110)", Recursive = true };

    public static readonly Option<string?> Token = new("--token") { Description = "The management token (default: ACTORRECORDER_MANAGEMENT_TOKEN, else the node's data-dir/management.token)", Recursive = true };

    public static readonly Option<FileInfo?> Config = new("--config") { Description = "The node's configuration file (HOCON): what run and config show read; its data directory holds a running node's address and token", Recursive = true };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of tables (or of HOCON, for config show)", Recursive = true };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Node);
        root.Options.Add(Token);
        root.Options.Add(Config);
        root.Options.Add(Json);
    }

    /// <summary>For a command that cannot do without the configuration file: a usage error when it is not given.</summary>
    public static void RequireConfig(Command command, string why) =>
        command.Validators.Add(result =>
        {
            if (result.GetValue(Config) is null)
            {
                result.AddError($"--config is required: {why}");
            }
        });
}
