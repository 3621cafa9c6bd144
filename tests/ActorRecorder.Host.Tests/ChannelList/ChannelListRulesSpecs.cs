using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;

namespace ActorRecorder.Host.Tests.ChannelList;

/// <summary>How nodes' statements edit the cluster's channel list (ChannelListRules), with no clock anywhere.</summary>
public sealed class ChannelListRulesSpecs
{
    private static ChannelSettings Channel(string id, string url = "http://127.0.0.1:9/live.m3u8") =>
        new(id, url, "generic", new RecordingSettings("/rec", TimeSpan.FromSeconds(30), Media.Ffmpeg.Container.Ts, TimeSpan.FromMinutes(10),
            GracePeriod: TimeSpan.FromMinutes(2), StallTimeout: TimeSpan.FromMinutes(1), MinFreeDisk: 0, "ffmpeg", "ffprobe", TimeSpan.FromMinutes(10)))
        {
            Delivery = new DeliverySettings([], false, "/archive", 4L << 30, TimeSpan.FromSeconds(1), Media.Splitting.PartFormat.Mp4),
        };

    private static StateChannels From(string origin, IReadOnlyList<ChannelSettings> channels, params string[] removed) => new(origin, channels, removed);

    /// <summary>Applies the statements in order, as the entity does; returns the list's ids after each and the model.</summary>
    private static (ChannelListModel Model, List<(string? Edit, IReadOnlyList<string> Ids)> Steps) Run(params StateChannels[] statements)
    {
        var model = ChannelListModel.Empty;
        var steps = new List<(string?, IReadOnlyList<string>)>();
        foreach (var statement in statements)
        {
            var edited = ChannelListRules.Decide(model, statement);
            if (edited is not null)
            {
                model = ChannelListRules.Apply(model, edited);
            }
            steps.Add((edited is null ? null : $"+[{string.Join(",", edited.Put.Select(c => c.Id))}] -[{string.Join(",", edited.Dropped)}]", [.. model.Channels.Keys]));
        }
        return (model, steps);
    }

    [Fact]
    public void A_channel_added_on_one_node_must_survive_another_node_restarting_with_its_file_unchanged()
    {
        var (_, steps) = Run(
            From("node-a:4053", [Channel("news")]),
            From("node-b:4053", [Channel("news")]),
            From("node-a:4053", [Channel("news"), Channel("added-by-api")]), // channel add on node A
            From("node-b:4053", [Channel("news")])); // node B restarts (or its file is saved unchanged): a newer file, the same statement

        Assert.Null(steps[^1].Edit);
        Assert.Equal(["added-by-api", "news"], steps[^1].Ids);
    }

    [Fact]
    public void A_channel_removed_from_one_nodes_file_must_be_removed_everywhere_and_stay_removed_when_the_others_restart()
    {
        var (_, steps) = Run(
            From("node-a:4053", [Channel("news"), Channel("music")]),
            From("node-b:4053", [Channel("news"), Channel("music")]),
            From("node-a:4053", [Channel("news")]), // music removed from A's file
            From("node-b:4053", [Channel("news"), Channel("music")])); // B, whose file still lists it, restarts

        Assert.Equal("+[] -[music]", steps[2].Edit);
        Assert.Null(steps[3].Edit);
        Assert.Equal(["news"], steps[3].Ids);
    }

    [Fact]
    public void A_channel_removed_at_runtime_on_a_node_that_never_stated_it_must_be_removed()
    {
        var (_, steps) = Run(
            From("node-a:4053", [Channel("news"), Channel("added-by-api")]),
            From("node-b:4053", [Channel("news")]),
            From("node-b:4053", [Channel("news")], "added-by-api")); // channel remove on node B

        Assert.Equal("+[] -[added-by-api]", steps[2].Edit);
        Assert.Equal(["news"], steps[2].Ids);
    }

    [Fact]
    public void A_nodes_first_statement_must_add_what_the_list_lacks_and_change_nothing_it_has()
    {
        var edited = Channel("news", "http://127.0.0.1:9/other.m3u8");
        var (model, steps) = Run(
            From("node-a:4053", [Channel("news")]),
            From("node-a:4053", [edited]), // edited on A
            From("node-c:4053", [Channel("news"), Channel("sport")])); // a new node with an older file

        Assert.Equal("+[sport] -[]", steps[2].Edit);
        Assert.Equal(edited.Url, model.Channels["news"].Url);
    }

    [Fact]
    public void An_edit_of_a_channels_settings_must_replace_them_and_saying_it_again_must_change_nothing()
    {
        var edited = Channel("news", "http://127.0.0.1:9/other.m3u8");
        var (model, steps) = Run(
            From("node-a:4053", [Channel("news")]),
            From("node-b:4053", [Channel("news")]),
            From("node-b:4053", [edited]),
            From("node-b:4053", [edited]));

        Assert.Equal("+[news] -[]", steps[2].Edit);
        Assert.Null(steps[3].Edit);
        Assert.Equal(edited.Url, model.Channels["news"].Url);
    }

    [Fact]
    public void Any_order_of_statements_must_leave_every_statement_applied_once_and_restatements_idempotent()
    {
        // Random runs of statements by three nodes, each restated at random points (restarts): whatever the order, restating a
        // node's last statement changes nothing, and a channel in the list was put by some statement and not dropped since.
        var random = new Random(20261207);
        string[] ids = ["a", "b", "c", "d", "e"];
        string[] origins = ["n1:1", "n2:1", "n3:1"];
        for (var run = 0; run < 300; run++)
        {
            var model = ChannelListModel.Empty;
            var last = new Dictionary<string, StateChannels>();
            for (var step = 0; step < 12; step++)
            {
                var origin = origins[random.Next(origins.Length)];
                var statement = last.TryGetValue(origin, out var earlier) && random.Next(3) == 0
                    ? earlier
                    : From(origin, [.. ids.Where(_ => random.Next(2) == 0).Select(id => Channel(id, $"http://127.0.0.1:9/{random.Next(2)}.m3u8"))],
                        [.. ids.Where(_ => random.Next(6) == 0)]);
                var edited = ChannelListRules.Decide(model, statement);
                if (edited is not null)
                {
                    model = ChannelListRules.Apply(model, edited);
                    Assert.All(edited.Put, c => Assert.Equal(c, model.Channels[c.Id]));
                    Assert.All(edited.Dropped, id => Assert.False(model.Channels.ContainsKey(id)));
                }
                last[origin] = statement;
                Assert.Null(ChannelListRules.Decide(model, statement));
            }
        }
    }
}
