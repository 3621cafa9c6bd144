using System.Collections.Frozen;
using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// Reads and validates the engine's configuration (<c>actor-recorder.node</c>, <c>.persistence</c>,
/// <c>.recording</c>, <c>.channels</c>; every key is documented in hocon/reference.conf).
/// A user's mistake fails here, before any actor starts, with a <see cref="ConfigException"/> that names the
/// file, line, column and full key and says what would be valid; so does a key under <c>actor-recorder</c> that
/// hocon/reference.conf does not define (a typo would otherwise leave the default silently in force).
/// </summary>
public static partial class EngineSettings
{
    /// <summary>The resolvers a channel may name (<c>resolver = ...</c>); see ActorRecorder.Platforms.</summary>
    public static readonly IReadOnlySet<string> KnownResolvers = new[] { "generic", "ytdlp" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The engine's embedded reference.conf (hocon/reference.conf): every key with its default.</summary>
    public static Config Reference { get; } =
        ConfigurationFactory.FromResource(typeof(EngineSettings).Assembly, "ActorRecorder.Engine.reference.conf");

    /// <summary>
    /// Settings from <paramref name="config"/>, falling back to <see cref="Reference"/> key by key. Relative paths
    /// are resolved against the current directory (use <see cref="LoadFile"/> to resolve them against a file's).
    /// </summary>
    /// <exception cref="ConfigException">A key is unknown, or a value is missing, has the wrong type or is not allowed.</exception>
    public static NodeSettings Load(Config config) => Load(config, Directory.GetCurrentDirectory());

    /// <summary>
    /// Reads a node's configuration file over the engine's reference and
    /// returns its settings. Relative paths are resolved against the directory the file is in, so a node finds the
    /// same directories whatever directory it was started from.
    /// </summary>
    /// <exception cref="ConfigException">The file cannot be read or parsed, a key is unknown, or a value is not allowed.</exception>
    public static NodeSettings LoadFile(string path)
    {
        var config = ConfigurationFactory.Load(path, Reference);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Load(config, directory);
    }

    /// <summary><see cref="Load(Config)"/> with relative paths resolved against <paramref name="baseDirectory"/>.</summary>
    public static NodeSettings Load(Config config, string baseDirectory)
    {
        var root = config.WithFallback(Reference);
        RejectUnknownKeys(root);
        var baseDir = Path.GetFullPath(baseDirectory);
        var node = SettingsSection.Of(root, "actor-recorder.node");
        var dataDir = Path.GetFullPath(RequiredPath(node, "data-dir"), baseDir);
        var persistence = SettingsSection.Of(root, "actor-recorder.persistence");
        var journal = ReadJournal(persistence, baseDir, dataDir);
        var cluster = ReadCluster(SettingsSection.Of(root, "actor-recorder.cluster"), journal, persistence, baseDir);
        var recording = ReadRecording(SettingsSection.Of(root, "actor-recorder.recording"), baseDir, inherited: null);
        var delivery = ReadDelivery(root, baseDir, TargetsNamedByChannels(root));
        var channels = ReadChannels(root, baseDir, recording, delivery);
        var management = ReadManagement(SettingsSection.Of(root, "actor-recorder.management"), baseDir);
        var tools = SettingsSection.Of(root, "actor-recorder.tools");
        return new NodeSettings(dataDir, journal, recording, channels)
        {
            Cluster = cluster,
            Management = management,
            Secrets = NodeSecrets.Read(root),
            Tools = new ToolSettings(Executable(tools, "yt-dlp", baseDir), Executable(tools, "streamlink", baseDir), Duration(tools, "max-age", TimeSpan.FromDays(1))),
        };
    }

    private static JournalSettings ReadJournal(SettingsSection persistence, string baseDir, string dataDir)
    {
        var kindText = persistence.GetString("journal");
        var kind = kindText.Trim().ToLowerInvariant() switch
        {
            "sqlite" => JournalKind.Sqlite,
            "postgres" => JournalKind.Postgres,
            _ => throw persistence.Invalid("journal", $"unknown journal '{kindText}'; use sqlite or postgres"),
        };

        var sqlite = persistence.Child("sqlite");
        var sqlitePath = sqlite.GetString("path");
        sqlitePath = string.IsNullOrWhiteSpace(sqlitePath)
            ? Path.Combine(dataDir, "journal.db")
            : Path.GetFullPath(sqlitePath, baseDir);

        string? connectionString = null;
        if (kind == JournalKind.Postgres)
        {
            var postgres = persistence.Child("postgres");
            connectionString = postgres.Has("connection-string") ? postgres.GetString("connection-string") : "";
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                // Point at the value when there is one, otherwise at the choice that made it required.
                var origin = postgres.ValueOf("connection-string")?.Origin ?? persistence.OriginOf("journal");
                throw new ConfigException(
                    "required when actor-recorder.persistence.journal = postgres: set a connection string "
                    + "(e.g. \"Host=db;Database=recorder;Username=recorder;Password=...\") or the environment variable ACTORRECORDER_POSTGRES",
                    origin,
                    postgres.PathOf("connection-string"));
            }
        }

        return new JournalSettings(kind, sqlitePath, connectionString) { DeleteOldEvents = persistence.GetOnOff("delete-old-events") };
    }

    private static string RequiredPath(SettingsSection section, string key)
    {
        var value = section.GetString(key);
        return string.IsNullOrWhiteSpace(value) ? throw section.Invalid(key, "must not be empty; expected a path") : value;
    }
}
