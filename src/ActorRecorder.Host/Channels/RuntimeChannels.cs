using System.Text;
using System.Text.Json;
using ActorRecorder.Hocon;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// Channels added and removed at runtime (<c>POST /api/channels</c>, <c>DELETE /api/channels/{id}</c>, the CLI's
/// <c>channel add|remove</c>), kept in <c>&lt;data-dir&gt;/channels.runtime.conf</c> and merged over the configuration
/// file's channel list at every start, reload and <c>config show</c>: a channel added there survives restarts, and a
/// removed one stays removed even though the file still lists it. Its channels are validated like the file's, and an
/// error in it names its own line.
/// </summary>
public static class RuntimeChannels
{
    public const string FileName = "channels.runtime.conf";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    /// <summary>A channel added at runtime.</summary>
    public sealed record Added(string Id, string Url, string? Resolver);

    /// <summary>What the file holds (nothing when there is no file).</summary>
    /// <exception cref="ConfigException">The file is not valid HOCON or not of this shape.</exception>
    public static (IReadOnlyList<Added> Added, IReadOnlyList<string> Removed) Read(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            return ([], []);
        }
        var config = ConfigurationFactory.ParseFile(path);
        var added = config.HasPath("added")
            ? config.GetConfigList("added").Select(c => new Added(c.GetString("id"), c.GetString("url"), c.HasPath("resolver") ? c.GetString("resolver") : null)).ToList()
            : [];
        var removed = config.HasPath("removed") ? config.GetStringList("removed") : [];
        return (added, removed);
    }

    /// <summary>The configuration with its channel list changed as the file says (the configuration as it is when there is no file).</summary>
    /// <exception cref="ConfigException">The file is not valid.</exception>
    public static Config Apply(Config config, string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            return config;
        }
        var overlay = ConfigurationFactory.ParseFile(path);
        var (added, removed) = Read(dataDir);
        var dropped = removed.Concat(added.Select(a => a.Id)).ToHashSet(StringComparer.Ordinal);
        var fileChannels = config.GetValue("actor-recorder.channels") as ConfigList ?? new ConfigList([]);
        var kept = fileChannels.Where(c => c is not ConfigObject channel || !channel.TryGetValue("id", out var id) || id is not ConfigString text || !dropped.Contains(text.Value));
        var addedValues = overlay.GetValue("added") as ConfigList ?? new ConfigList([]);
        return config.WithValue("actor-recorder.channels", new ConfigList(kept.Concat(addedValues), fileChannels.Origin));
    }

    /// <summary>Adds a channel (replacing one added before with the same id; a removal of that id is undone).</summary>
    public static void Add(string dataDir, Added channel)
    {
        var (added, removed) = Read(dataDir);
        Write(dataDir, [.. added.Where(a => a.Id != channel.Id), channel], [.. removed.Where(r => r != channel.Id)]);
    }

    /// <summary>Removes a channel: one added at runtime is dropped from the file, one of the configuration file is listed as removed.</summary>
    public static void Remove(string dataDir, string id)
    {
        var (added, removed) = Read(dataDir);
        var wasAdded = added.Any(a => a.Id == id);
        Write(dataDir, [.. added.Where(a => a.Id != id)], wasAdded ? removed : [.. removed.Where(r => r != id), id]);
    }

    /// <summary>The file's text as it is now (null: no file), to put back with <see cref="Restore"/> when a change is refused.</summary>
    public static string? Snapshot(string dataDir) => File.Exists(PathIn(dataDir)) ? File.ReadAllText(PathIn(dataDir)) : null;

    public static void Restore(string dataDir, string? snapshot)
    {
        if (snapshot is null)
        {
            File.Delete(PathIn(dataDir));
        }
        else
        {
            WriteAtomically(PathIn(dataDir), snapshot);
        }
    }

    private static void Write(string dataDir, IReadOnlyList<Added> added, IReadOnlyList<string> removed)
    {
        var text = new StringBuilder()
            .AppendLine("# Channels added and removed at runtime through the management API (actorrecorder channel add / remove).")
            .AppendLine("# Merged over the configuration file's channel list at every start and reload; `config show` shows the result.")
            .AppendLine("# Edit it only while the node is stopped.")
            .AppendLine("added = [");
        foreach (var channel in added)
        {
            text.Append("  { id = ").Append(Quote(channel.Id)).Append(", url = ").Append(Quote(channel.Url));
            if (channel.Resolver is { } resolver)
            {
                text.Append(", resolver = ").Append(Quote(resolver));
            }
            text.AppendLine(" }");
        }
        text.AppendLine("]").Append("removed = [").Append(string.Join(", ", removed.Select(Quote))).AppendLine("]");
        Directory.CreateDirectory(dataDir);
        WriteAtomically(PathIn(dataDir), text.ToString());
    }

    /// <summary>A HOCON quoted string (JSON's string syntax is HOCON's).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
