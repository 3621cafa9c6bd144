using ActorRecorder.Actors.TestKit;
using ActorRecorder.Engine.Channel;
using Xunit.Abstractions;

namespace ActorRecorder.Node.Tests;

public sealed class HotReloadSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 150_000)]
    public async Task Editing_the_file_must_add_and_remove_channels_without_a_restart()
    {
        await using var workspace = new NodeWorkspace();
        await workspace.Source.GoLiveAsync();
        workspace.WriteConfig("""[ { id = first, url = ${source} } ]""", grace: "3s");
        await using var node = await RecorderNode.StartAsync(workspace.ConfigPath, new TestOutputLoggerProvider(output));
        await Eventually(node, s => s.Any(c => c.ChannelId == "first" && c.Segments > 0), "the first channel recording");

        workspace.WriteConfig("""[ { id = first, url = ${source} }, { id = second, url = ${source} } ]""", grace: "3s");
        await Eventually(node, s => s.Any(c => c.ChannelId == "second" && c.Segments > 0), "the added channel recording");

        workspace.WriteConfig("""[ { id = second, url = ${source} } ]""", grace: "3s");
        await Eventually(node, s => s.Count == 1 && s[0].ChannelId == "second", "the removed channel to stop");
        var events = await workspace.EventsAsync("first");
        Assert.IsType<SessionEnded>(events.OfType<SessionEnded>().Single());

        workspace.WriteConfig("""[ { id = second, url = ${source}, bad = ] """, grace: "3s"); // a broken edit changes nothing
        Assert.Null(await node.ReloadAsync());
        Assert.Single(await node.GetStatusAsync());
    }

    private static Task Eventually(RecorderNode node, Func<IReadOnlyList<ChannelStatus>, bool> condition, string what) =>
        NodeWorkspace.Eventually(async () => condition(await node.GetStatusAsync()), () => what, Patience);
}
