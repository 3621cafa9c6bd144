using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests;

public sealed class HotReloadSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 240_000)]
    public async Task Editing_the_file_must_add_update_remove_and_re_add_channels_without_a_restart()
    {
        await using var workspace = new NodeWorkspace();
        await workspace.Source.GoLiveAsync();
        workspace.WriteConfig("""[ { id = first, url = ${source} } ]""", grace: "3s");
        await using var node = await RecorderNode.StartAsync(workspace.ConfigPath, logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output)));
        await Eventually(node, s => s.Any(c => c.ChannelId == "first" && c.Segments > 0), "the first channel recording");

        workspace.WriteConfig("""[ { id = first, url = ${source} }, { id = second, url = ${source}, recording { segment-duration = 3s } } ]""", grace: "3s");
        await Eventually(node, s => s.Any(c => c.ChannelId == "second" && c.Segments > 0), "the added channel recording");
        var second = (await workspace.EventsAsync("second")).OfType<SegmentRecorded>().First();
        Assert.InRange(second.Duration.TotalSeconds, 2.5, 3.5); // its own settings reached it by message

        // Removed while recording: it finishes its session, then stops.
        workspace.WriteConfig("""[ { id = second, url = ${source} } ]""", grace: "3s");
        await Eventually(node, s => s.Count == 1 && s[0].ChannelId == "second", "the removed channel gone from the list");
        var first = await workspace.WaitForAsync("first", e => e.OfType<SessionEnded>().Any(), "the removed channel's session ended", Patience);
        Assert.Contains("removed", first.OfType<SessionEnded>().Single().Reason);

        // Added again: it records a new session.
        workspace.WriteConfig("""[ { id = second, url = ${source} }, { id = first, url = ${source} } ]""", grace: "3s");
        await workspace.WaitForAsync("first", e => e.OfType<SessionStarted>().Count() == 2, "the re-added channel recording again", Patience);

        workspace.WriteConfig("""[ { id = second, url = ${source}, bad = ] """, grace: "3s"); // a broken edit changes nothing
        Assert.Null(await node.ReloadAsync());
        Assert.Equal(["first", "second"], (await node.GetStatusAsync()).Select(s => s.ChannelId));
    }

    private static Task Eventually(RecorderNode node, Func<IReadOnlyList<ChannelStatus>, bool> condition, string what) =>
        NodeWorkspace.Eventually(async () => condition(await node.GetStatusAsync()), () => what, Patience);
}
