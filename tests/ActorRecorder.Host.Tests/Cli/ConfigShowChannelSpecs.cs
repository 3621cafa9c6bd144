namespace ActorRecorder.Host.Tests.Cli;

/// <summary><c>config show --channel ID</c>: a channel's effective settings and where each came from, through the real CLI.</summary>
public sealed class ConfigShowChannelSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ar-config-show-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task A_channel_s_effective_settings_must_be_printed_with_the_file_and_line_of_each_value()
    {
        var config = Path.Combine(_directory, "node.conf");
        await File.WriteAllTextAsync(config, """
            actor-recorder.node.data-dir = data
            actor-recorder.templates {
              twitch { recording { segment-duration = 30m, container = mkv } }
            }
            actor-recorder.channels = [
              { id = alice, url = "https://example.com/alice.m3u8", template = twitch, recording { container = ts } }
            ]
            """);

        var shown = await CliRunner.RunAsync(["config", "show", "--config", config, "--channel", "alice"]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var lines = shown.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("recording.segment-duration = 30m", StringComparison.Ordinal) && l.Contains($"# {config}:3:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("recording.container = ts", StringComparison.Ordinal) && l.Contains($"# {config}:6:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("recording.grace-period = ", StringComparison.Ordinal) && !l.Contains(config, StringComparison.Ordinal));

        var missing = await CliRunner.RunAsync(["config", "show", "--config", config, "--channel", "bob"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no channel 'bob'; its channels: alice", missing.Err);
    }
}
