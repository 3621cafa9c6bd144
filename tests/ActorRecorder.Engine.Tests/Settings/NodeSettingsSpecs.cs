using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Ffmpeg;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class NodeSettingsSpecs
{
    [Fact]
    public void Settings_must_default_to_the_reference_conf()
    {
        var settings = EngineSettings.Load(Config.Empty);

        Assert.Equal(Path.GetFullPath("data"), settings.DataDir);
        Assert.Equal(JournalKind.Sqlite, settings.Journal.Kind);
        Assert.Equal(Path.Combine(Path.GetFullPath("data"), "journal.db"), settings.Journal.SqlitePath);
        Assert.Null(settings.Journal.PostgresConnectionString);
        var expected = new RecordingSettings(
            OutputDir: Path.GetFullPath("recordings"),
            PollInterval: TimeSpan.FromSeconds(30),
            Container: Container.Ts,
            SegmentDuration: TimeSpan.FromMinutes(10),
            GracePeriod: TimeSpan.FromMinutes(2),
            StallTimeout: TimeSpan.FromSeconds(30),
            MinFreeDisk: 2L * 1024 * 1024 * 1024,
            FfmpegPath: "ffmpeg",
            FfprobePath: "ffprobe",
            DiskCheckInterval: TimeSpan.FromSeconds(10));
        Assert.Equal(expected, settings.Recording);
        Assert.Empty(settings.Channels);
    }

    [Fact]
    public void Settings_must_take_the_global_recording_values_from_the_users_config()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.recording {
              poll-interval = 5s, container = mkv, segment-duration = 1h, grace-period = 0s
              stall-timeout = 1m, min-free-disk = 0, disk-check-interval = 2s
            }
            """));

        Assert.Equal(TimeSpan.FromSeconds(5), settings.Recording.PollInterval);
        Assert.Equal(Container.Mkv, settings.Recording.Container);
        Assert.Equal(TimeSpan.FromHours(1), settings.Recording.SegmentDuration);
        Assert.Equal(TimeSpan.Zero, settings.Recording.GracePeriod);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Recording.StallTimeout);
        Assert.Equal(0, settings.Recording.MinFreeDisk);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Recording.DiskCheckInterval);
    }

    [Fact]
    public void A_postgres_journal_must_carry_its_connection_string()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.persistence {
              journal = postgres
              postgres.connection-string = "Host=db;Database=recorder;Username=rec;Password=hunter2"
            }
            """));

        Assert.Equal(JournalKind.Postgres, settings.Journal.Kind);
        Assert.Equal("Host=db;Database=recorder;Username=rec;Password=hunter2", settings.Journal.PostgresConnectionString);
    }

    [Fact]
    public void The_reference_must_take_the_postgres_connection_string_from_ACTORRECORDER_POSTGRES()
    {
        var referenceText = ReferenceConfSpecs.ReadEmbeddedReference();
        var environment = new ConfigResolveOptions
        {
            EnvironmentLookup = name => name == "ACTORRECORDER_POSTGRES" ? "Host=from-env;Password=x" : null,
        };
        var reference = ConfigurationFactory.ParseString(referenceText, null, environment);
        var user = ConfigText.Parse("actor-recorder.persistence.journal = postgres");

        var settings = EngineSettings.Load(user.WithFallback(reference));

        Assert.Equal("Host=from-env;Password=x", settings.Journal.PostgresConnectionString);
    }

    [Fact]
    public void Journal_settings_must_not_print_the_connection_string()
    {
        var journal = new JournalSettings(JournalKind.Postgres, "/data/journal.db", "Host=db;Password=hunter2");

        var printed = journal.ToString();

        Assert.DoesNotContain("hunter2", printed);
        Assert.Contains(ConfigSecrets.Mask, printed);
        Assert.Contains("Postgres", printed);
    }

    [Fact]
    public void An_explicit_sqlite_path_must_replace_the_one_under_the_data_dir()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("actor-recorder.persistence.sqlite.path = \"/var/lib/recorder/j.db\""));

        Assert.Equal("/var/lib/recorder/j.db", settings.Journal.SqlitePath);
    }
}
