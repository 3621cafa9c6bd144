using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class LoadFileSpecs : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("engine-settings-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void LoadFile_must_resolve_relative_paths_against_the_config_files_directory()
    {
        var configDir = _root.CreateSubdirectory("etc");
        var file = WriteConfig(configDir, """
            actor-recorder {
              node.data-dir = "state"
              persistence.sqlite.path = "db/journal.sqlite"
              recording { output-dir = "../recordings", ffmpeg-path = "./bin/ffmpeg", ffprobe-path = "/opt/ffprobe" }
              channels = [ { id = a, url = "http://127.0.0.1/a.m3u8", recording.output-dir = "a-recordings" } ]
            }
            """);

        var settings = EngineSettings.LoadFile(file);

        Assert.Equal(Path.Combine(configDir.FullName, "state"), settings.DataDir);
        Assert.Equal(Path.Combine(configDir.FullName, "db", "journal.sqlite"), settings.Journal.SqlitePath);
        Assert.Equal(Path.Combine(_root.FullName, "recordings"), settings.Recording.OutputDir);
        Assert.Equal(Path.Combine(configDir.FullName, "bin", "ffmpeg"), settings.Recording.FfmpegPath);
        Assert.Equal("/opt/ffprobe", settings.Recording.FfprobePath);
        Assert.Equal(Path.Combine(configDir.FullName, "a-recordings"), settings.Channels[0].Recording.OutputDir);
    }

    [Fact]
    public void LoadFile_must_put_the_default_journal_under_the_resolved_data_dir()
    {
        var file = WriteConfig(_root, "actor-recorder.node.data-dir = \"node-1\"");

        var settings = EngineSettings.LoadFile(file);

        Assert.Equal(Path.Combine(_root.FullName, "node-1", "journal.db"), settings.Journal.SqlitePath);
        Assert.Equal(Path.Combine(_root.FullName, "recordings"), settings.Recording.OutputDir);
        Assert.Equal("ffmpeg", settings.Recording.FfmpegPath);
    }

    [Fact]
    public void LoadFile_must_let_the_file_refer_to_the_references_values()
    {
        // The file is resolved over the engine's reference, so substitutions into it work.
        var file = WriteConfig(_root, "actor-recorder.node.data-dir = \"data-\"${actor-recorder.recording.container}");

        var settings = EngineSettings.LoadFile(file);

        Assert.Equal(Path.Combine(_root.FullName, "data-ts"), settings.DataDir);
    }

    [Fact]
    public void LoadFile_must_report_errors_at_the_position_in_the_file()
    {
        var file = WriteConfig(_root, "actor-recorder.recording {\n  poll-interval = 0s\n}\n");

        var ex = Assert.Throws<ConfigException>(() => EngineSettings.LoadFile(file));

        Assert.Equal(file, ex.File);
        Assert.Equal(2, ex.Line);
        Assert.Equal("actor-recorder.recording.poll-interval", ex.Path);
    }

    [Fact]
    public void LoadFile_must_fail_naming_a_missing_file()
    {
        var missing = Path.Combine(_root.FullName, "nope.conf");

        var ex = Assert.Throws<ConfigException>(() => EngineSettings.LoadFile(missing));

        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void The_quickstart_conf_must_load_without_error()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "quickstart.conf");

        var settings = EngineSettings.LoadFile(file);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "quickstart-data"), settings.DataDir);
        var demo = Assert.Single(settings.Channels);
        Assert.Equal("demo", demo.Id);
        Assert.Equal("http://127.0.0.1:8080/live/index.m3u8", demo.Url);
        Assert.Equal("generic", demo.Resolver);
        Assert.Equal(TimeSpan.FromSeconds(2), demo.Recording.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), demo.Recording.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(10), demo.Recording.SegmentDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), demo.Recording.StallTimeout);
    }

    private static string WriteConfig(DirectoryInfo directory, string text)
    {
        var path = Path.Combine(directory.FullName, "node.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
