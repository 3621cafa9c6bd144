using System.CommandLine;
using System.Reflection;
using ActorRecorder.Hocon;

namespace ActorRecorder.Cli;

/// <summary><c>config show --config FILE [--json]</c>: how a user checks a configuration before running it.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var show = new Command("show", "Print the fully resolved configuration (--config: HOCON, .json or .properties), with the modules' reference settings as defaults and secrets masked; exits 1 with the error on a bad file");
        GlobalOptions.RequireConfig(show, "the configuration file to check");
        var channel = new Option<string?>("--channel")
        {
            Description = "Print this channel's effective settings instead (defaults, then its templates, then its own keys), each with the file and line it came from",
        };
        show.Options.Add(channel);
        show.SetAction(parseResult =>
        {
            if (parseResult.GetValue(channel) is { } channelId)
            {
                return ShowChannel(parseResult.GetValue(GlobalOptions.Config)!.FullName, channelId, parseResult.GetValue(GlobalOptions.Json));
            }
            Config references;
            try
            {
                references = LoadReferences();
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine("error: in a built-in reference.conf: " + e.Message);
                return 1;
            }

            var path = parseResult.GetValue(GlobalOptions.Config)!.FullName;
            var shown = ConfigReport.Show(path, parseResult.GetValue(GlobalOptions.Json), Console.Out, Console.Error, ConfigResolveOptions.Default, references);
            if (shown != 0)
            {
                return shown;
            }
            try
            {
                // Beyond syntax: what the node itself would refuse (duplicate ids, bad URLs, unknown resolvers...).
                var settings = Engine.Settings.EngineSettings.LoadFile(path);
                ShowRuntimeChannels(path, settings.DataDir);
                return 0;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });

        var command = new Command("config", "Inspect configuration");
        command.Subcommands.Add(show);
        return command;
    }

    /// <summary>One channel's effective settings, key by key, with where each value was set (secrets masked).</summary>
    private static int ShowChannel(string path, string channelId, bool json)
    {
        IReadOnlyList<Engine.Settings.EffectiveSetting> explained;
        try
        {
            var config = ConfigurationFactory.Load(path, Engine.Settings.EngineSettings.Reference);
            explained = Engine.Settings.EngineSettings.ExplainChannel(config, Path.GetDirectoryName(path) ?? ".", channelId);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(explained, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }
        Console.WriteLine($"# channel {channelId}: the defaults, then its templates in the order named, then its own keys");
        var width = explained.Max(s => s.Key.Length + s.Value.Length + 3);
        foreach (var setting in explained)
        {
            Console.WriteLine($"{$"{setting.Key} = {setting.Value}".PadRight(width)}  # {setting.Origin}");
        }
        return 0;
    }

    /// <summary>Channels added or removed through the management API: the list the node runs differs from the file's.</summary>
    private static void ShowRuntimeChannels(string path, string dataDir)
    {
        var (added, removed) = Host.Channels.RuntimeChannels.Read(dataDir);
        if (added.Count + removed.Count == 0)
        {
            return;
        }
        var channels = Host.RecorderHost.Load(path).Settings.Channels; // validated with the runtime changes merged in
        Console.WriteLine();
        Console.WriteLine($"# Channels changed at runtime ({Host.Channels.RuntimeChannels.PathIn(dataDir)}):");
        foreach (var channel in added)
        {
            Console.WriteLine($"#   added   {channel.Id} = {channel.Url}{(channel.Resolver is { } resolver ? $" ({resolver})" : "")}");
        }
        foreach (var id in removed)
        {
            Console.WriteLine($"#   removed {id}");
        }
        Console.WriteLine($"# The node runs {channels.Count} channel(s): {string.Join(", ", channels.Select(c => c.Id))}");
    }

    /// <summary>
    /// The reference.conf of every ActorRecorder module shipped next to this executable (looked up on disk
    /// because the compiler drops references to modules whose types the CLI does not use yet).
    /// </summary>
    private static Config LoadReferences()
    {
        var modules = Directory.GetFiles(AppContext.BaseDirectory, "ActorRecorder.*.dll")
            .Order(StringComparer.Ordinal)
            .Select(path => Assembly.Load(AssemblyName.GetAssemblyName(path)))
            .Prepend(Assembly.GetExecutingAssembly());
        return ConfigurationFactory.LoadReferences(modules);
    }
}
