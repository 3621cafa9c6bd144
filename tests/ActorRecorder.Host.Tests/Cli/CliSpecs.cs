using System.Text.Json;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Host.Tests.Cli;

/// <summary>The CLI against a real running node (the real executable, the real API): output, JSON and exit codes.</summary>
public sealed class CliSpecs : IAsyncLifetime
{
    private readonly NodeWorkspace _node = new();
    private readonly List<string> _log = [];

    public async Task InitializeAsync()
    {
        _node.WriteConfig("[ { id = demo, url = ${source} } ]");
        _node.StartNode(_log);
        await NodeWorkspace.Eventually(() => Task.FromResult(File.Exists(Path.Combine(_node.Root, "data", "management.address"))),
            () => "the node to serve its management API: " + string.Join('\n', _log), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private Task<CliRunner.Result> Cli(params string[] arguments) => CliRunner.RunAsync([.. arguments, "--config", _node.ConfigPath]);

    [Fact(Timeout = 240_000)]
    public async Task Every_palette_must_answer_with_a_table_or_json_and_the_right_exit_code()
    {
        var list = await Ok("channel", "list");
        Assert.Contains("demo", list.Out);
        Assert.Contains("offline", list.Out);
        var json = JsonDocument.Parse((await Ok("channel", "list", "--json")).Out).RootElement;
        Assert.Equal("demo", json[0].GetProperty("id").GetString());

        Assert.Contains("demo", (await Ok("channel", "show", "demo")).Out);
        // The README's first example: the global options before the command.
        var before = await CliRunner.RunAsync(["--config", _node.ConfigPath, "--json", "channel", "list"]);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal("demo", JsonDocument.Parse(before.Out).RootElement[0].GetProperty("id").GetString());
        Assert.Equal(0, (await CliRunner.RunAsync(["--config", _node.ConfigPath, "cluster", "show"])).ExitCode);
        var unknown = await Cli("channel", "show", "nope");
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("no channel 'nope'", unknown.Err);

        foreach (var usage in new[] { new[] { "channel", "bogus" }, ["channel", "show"], ["actor", "hierarchy", "-d", "x"], ["recording", "link", "s"] })
        {
            var wrong = await Cli(usage);
            Assert.True(wrong.ExitCode == 2, string.Join(' ', usage) + ": " + wrong);
            Assert.Contains("error:", wrong.Err);
        }
        var unreachable = await CliRunner.RunAsync(["--node", "127.0.0.1:1", "channel", "list"]);
        Assert.True(unreachable.ExitCode == 1, unreachable.ToString());
        Assert.Contains("cannot reach", unreachable.Err);
        var wrongToken = await Cli("--token", "0123456789abcdef-wrong", "channel", "list");
        Assert.True(wrongToken.ExitCode == 1, wrongToken.ToString());
        Assert.Contains("401", wrongToken.Err);

        Assert.Contains("paused", (await Ok("channel", "pause", "demo")).Out);
        var again = await Cli("channel", "pause", "demo");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("already paused", again.Err);
        await Ok("channel", "resume", "demo");
        var events = JsonDocument.Parse((await Ok("channel", "events", "demo", "--json")).Out).RootElement;
        Assert.Equal([nameof(ChannelPaused), nameof(ChannelResumed)], events.EnumerateArray().Select(e => e.GetProperty("type").GetString()!));
        Assert.Contains("ChannelResumed", (await Ok("channel", "events", "demo", "--from", "2")).Out);

        var members = await Ok("cluster", "show");
        Assert.Contains("Up", members.Out);
        Assert.Contains("(this node)", members.Out);
        Assert.Contains("channel-directory", (await Ok("actor", "hierarchy", "-d", "2")).Out);
        var tree = await Ok("actor", "hierarchy", "-s", "/system/sharding", "-d", "4");
        Assert.Contains("ChannelActor", tree.Out);
        Assert.Contains("channel", (await Ok("cluster-sharding", "regions")).Out);
        Assert.Contains("akka.tcp://actorrecorder@127.0.0.1", (await Ok("cluster-sharding", "region-stats")).Out);
        Assert.Contains("demo", (await Ok("cluster-sharding", "fetch-shards")).Out);
        var peek = await Ok("log", "peek", "-n", "3");
        Assert.Equal(3, peek.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var probe = await Ok("probe", _node.Source.PlaylistUrl);
        Assert.Contains("generic", probe.Out);
        Assert.Contains("live", probe.Out);
        var ytDlpProbe = await Ok("probe", _node.Source.PlaylistUrl, "--resolver", "ytdlp");
        Assert.Contains("yt-dlp 20", ytDlpProbe.Out); // the versions of the tools that answered

        var tools = await Ok("tools", "show");
        Assert.Contains("system package", tools.Out);
        Assert.Contains("days old (tools.max-age is 60 days)", tools.Out);
        var toolsJson = JsonDocument.Parse((await Ok("tools", "show", "--json")).Out).RootElement;
        Assert.Equal(["yt-dlp", "streamlink"], toolsJson.EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
        Assert.Contains("yt-dlp: /usr/bin/yt-dlp belongs to a system package", (await Ok("tools", "update", "--tool", "yt-dlp")).Out);
        var badTool = await Cli("tools", "update", "--tool", "ffmpeg");
        Assert.True(badTool.ExitCode == 1, badTool.ToString());
        Assert.Contains("unknown tool 'ffmpeg'; known: yt-dlp, streamlink", badTool.Err);

        await Ok("recording", "list");
        var noSession = await Cli("upload", "retry", "20990101-000000-1");
        Assert.True(noSession.ExitCode == 1, noSession.ToString());
        Assert.Contains("no session", noSession.Err);
        foreach (var verb in new[] { "pin", "unpin" })
        {
            var noPin = await Cli("recording", verb, "20990101-000000-1");
            Assert.True(noPin.ExitCode == 1, noPin.ToString());
            Assert.Contains("no session '20990101-000000-1'", noPin.Err);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task With_only_node_the_cli_must_open_a_shell_on_that_node()
    {
        var address = new Uri(File.ReadAllText(Path.Combine(_node.Root, "data", "management.address")).Trim());
        var token = File.ReadAllText(Path.Combine(_node.Root, "data", "management.token")).Trim();
        var shell = await CliRunner.RunAsync(["--node", address.Authority, "--token", token],
            "cluster show\nchannel list\nchannel show nope\n\"channel\" 'show' demo\nrun --config x\nexit\n");
        Assert.True(shell.ExitCode == 0, shell.ToString());
        Assert.Contains("actorrecorder>", shell.Out);
        Assert.Contains("(this node)", shell.Out);
        Assert.Contains("demo", shell.Out);
        Assert.Contains("no channel 'nope'", shell.Err);
        Assert.Contains("not a shell command", shell.Err);
    }

    private async Task<CliRunner.Result> Ok(params string[] arguments)
    {
        var result = await Cli(arguments);
        Assert.True(result.ExitCode == 0, string.Join(' ', arguments) + ": " + result);
        return result;
    }
}
