using System.CommandLine;
using System.Text.Json;
using ActorRecorder.Host.Management;

namespace ActorRecorder.Cli.Management;

/// <summary>
/// The palettes that speak to a running node's management API, with pbm's names where pbm has them (<c>cluster</c>,
/// <c>actor</c>, <c>cluster-sharding</c>, <c>log</c>) and ours (<c>channel</c>, <c>recording</c>, <c>upload</c>,
/// <c>probe</c>). Tables and trees for people, <c>--json</c> for scripts; exit code 0 done, 1 failed, 2 usage.
/// </summary>
internal static class ManagementCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Palette("cluster", "The cluster's members (pbm: cluster)",
            Leaf("show", "List the members, their status and reachability", [], (c, _, ct) => Get(c, "/api/cluster/members", Render.Members, ct)),
            AddressCommand("join", "Join the node to the cluster of the given node"),
            AddressCommand("leave", "Ask the node to leave the cluster gracefully (its channels move first)"),
            AddressCommand("down", "Mark an unreachable node as down (its channels move at once)"),
            Leaf("down-unreachable", "Down every unreachable member", [], (c, _, ct) => Post(c, "/api/cluster/down-unreachable", null, Render.Downed, ct)));

        var depth = new Option<int>("--depth", "-d") { Description = "How many levels below the path", DefaultValueFactory = _ => 4 };
        var start = new Option<string>("--start", "-s") { Description = "The actor path to start from", DefaultValueFactory = _ => "/user" };
        yield return Palette("actor", "The live actors of the node (pbm: actor)",
            Leaf("hierarchy", "Print the live actor tree under a path", [depth, start], (c, r, ct) =>
                Get(c, $"/api/actors?path={Uri.EscapeDataString(r.GetValue(start)!)}&depth={r.GetValue(depth)}", Render.Actors, ct)));

        yield return Palette("cluster-sharding", "Shard regions, their shards and entities (pbm: cluster-sharding)",
            Leaf("regions", "List the shard regions (entity types)", [], (c, _, ct) => Get(c, "/api/sharding/regions", Render.Regions, ct)),
            Leaf("region-stats", "Shards and entities of each region on every node", [], (c, _, ct) => Get(c, "/api/sharding/regions", Render.RegionStats, ct)),
            Leaf("fetch-shards", "Every shard: the node it is on and its entities", [], (c, _, ct) => Get(c, "/api/sharding/shards", Render.Shards, ct)));

        var lines = new Option<int>("-n", "--lines") { Description = "How many of the node's recent log lines", DefaultValueFactory = _ => 50 };
        yield return Palette("log", "The node's recent log (pbm: log)",
            Leaf("peek", "Print the node's most recent log lines", [lines], (c, r, ct) => Get(c, $"/api/logs?lines={r.GetValue(lines)}", Render.Logs, ct)));

        var id = new Argument<string>("id") { Description = "The channel's id" };
        var from = new Option<long?>("--from") { Description = "The first sequence number (default: the last --limit events)" };
        var limit = new Option<int>("--limit") { Description = "How many events (1 to 1000)", DefaultValueFactory = _ => 20 };
        var channelCommands = new List<Command>
        {
            Leaf("list", "Every channel: state, session, where it runs", [], (c, _, ct) => Get(c, "/api/channels", Render.Channels, ct)),
            Leaf("show", "One channel in detail", [id], (c, r, ct) => Get(c, $"/api/channels/{Escape(r.GetValue(id))}", Render.Channel, ct)),
            Leaf("events", "The channel's journal (the last events, or from --from)", [id, from, limit], (c, r, ct) =>
                Get(c, $"/api/channels/{Escape(r.GetValue(id))}/events?limit={r.GetValue(limit)}{(r.GetValue(from) is { } f ? $"&from={f}" : "")}", Render.Events, ct)),
        };
        foreach (var (verb, what) in new[]
                 {
                     ("start", "Record now if the channel is live (resumes a paused channel)"),
                     ("stop", "End the open session now (it is delivered) and pause the channel"),
                     ("pause", "Stop recording and record nothing until resumed"),
                     ("resume", "Record again when the channel is live"),
                     ("split", "End the open session now (it is delivered) and go on recording in a new one"),
                 })
        {
            channelCommands.Add(Leaf(verb, what, [id], (c, r, ct) => Post(c, $"/api/channels/{Escape(r.GetValue(id))}/{verb}", null, Render.Channel, ct)));
        }
        var channelUrl = new Argument<string>("url") { Description = "The channel's URL" };
        var channelResolver = new Option<string?>("--resolver") { Description = "generic (the URL is the stream) or ytdlp (a platform page)" };
        channelCommands.Add(Leaf("add", "Add a channel at runtime (kept in the node's data-dir/channels.runtime.conf)", [id, channelUrl, channelResolver], (c, r, ct) =>
            Post(c, "/api/channels", new ChannelRequest(r.GetValue(id), r.GetValue(channelUrl), r.GetValue(channelResolver)), Render.Channel, ct)));
        channelCommands.Add(Leaf("remove", "Remove a channel at runtime (it finishes its session and deliveries first)", [id], (c, r, ct) =>
            Send(c, HttpMethod.Delete, $"/api/channels/{Escape(r.GetValue(id))}", null, json => Console.WriteLine($"{json.GetProperty("id").GetString()}: removed"), ct)));
        yield return Palette("channel", "Channels: state, journal, commands", [.. channelCommands]);

        var channelOption = new Option<string?>("--channel") { Description = "Only this channel's sessions" };
        var session = new Argument<string>("session") { Description = "The session's id (recording list shows them)" };
        var part = new Argument<int>("part") { Description = "The part's number (1, 2, ...)" };
        yield return Palette("recording", "Recorded sessions and their parts",
            Leaf("list", "Every session in the journals: state, parts, where they were delivered", [channelOption], (c, r, ct) =>
                Get(c, "/api/recordings" + (r.GetValue(channelOption) is { } only ? "?channel=" + Escape(only) : ""), Render.Recordings, ct)),
            Leaf("link", "A signed download link to a part that expires (link-ttl)", [session, part, channelOption], (c, r, ct) =>
                Post(c, $"/api/recordings/{Escape(r.GetValue(session))}/{r.GetValue(part)}/link" + (r.GetValue(channelOption) is { } only ? "?channel=" + Escape(only) : ""), null, Render.Link, ct)),
            Leaf("pin", "Keep a session: retention never deletes its files", [session, channelOption], (c, r, ct) =>
                Post(c, $"/api/recordings/{Escape(r.GetValue(session))}/pin" + (r.GetValue(channelOption) is { } only ? "?channel=" + Escape(only) : ""), null, Render.Pin, ct)),
            Leaf("unpin", "Leave a pinned session to retention again", [session, channelOption], (c, r, ct) =>
                Send(c, HttpMethod.Delete, $"/api/recordings/{Escape(r.GetValue(session))}/pin" + (r.GetValue(channelOption) is { } only ? "?channel=" + Escape(only) : ""), null, Render.Pin, ct)));

        yield return Palette("upload", "Deliveries",
            Leaf("retry", "Retry the failed delivery of a session", [session, channelOption], (c, r, ct) =>
                Post(c, $"/api/uploads/{Escape(r.GetValue(session))}/retry" + (r.GetValue(channelOption) is { } only ? "?channel=" + Escape(only) : ""), null, Render.Retry, ct)));

        var toolOption = new Option<string?>("--tool") { Description = "Only this tool: yt-dlp or streamlink (default: both)" };
        yield return Palette("tools", "The platform tools the ytdlp resolver runs (yt-dlp, streamlink)",
            Leaf("show", "Each tool: version, release date, how it is installed, and whether it is too old", [], (c, _, ct) => Get(c, "/api/tools", Render.Tools, ct)),
            Leaf("update", "Update the tools in place (pip in their virtual environment, or yt-dlp -U) while the node runs", [toolOption], (c, r, ct) =>
                Post(c, "/api/tools/update" + (r.GetValue(toolOption) is { } only ? "?tool=" + Escape(only) : ""), null, Render.ToolUpdates, ct)));

        var url = new Argument<string>("url") { Description = "A channel or stream URL" };
        var resolver = new Option<string?>("--resolver") { Description = "generic or ytdlp (default: generic for a stream URL, ytdlp for a page)" };
        var probe = Leaf("probe", "Which resolver matches a URL, whether it is live, its title and streams", [url, resolver], (c, r, ct) =>
            Post(c, "/api/probe", new ProbeRequest(r.GetValue(url), r.GetValue(resolver)), Render.Probe, ct));
        yield return probe;
    }

    private static Command Palette(string name, string description, params Command[] commands)
    {
        var palette = new Command(name, description);
        foreach (var command in commands)
        {
            palette.Subcommands.Add(command);
        }
        return palette;
    }

    private static Command AddressCommand(string verb, string description)
    {
        var address = new Argument<string>("address") { Description = "The node as host:port (its cluster address) or akka.tcp://actorrecorder@host:port" };
        return Leaf(verb, description, [address], (c, r, ct) => Post(c, $"/api/cluster/{verb}", new AddressRequest(r.GetValue(address)), Render.Accepted(verb), ct));
    }

    private sealed record Call(NodeConnection Node, bool Json);

    private static Command Leaf(string name, string description, Symbol[] symbols, Func<Call, ParseResult, CancellationToken, Task> run)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }
        command.SetAction(async (result, ct) =>
        {
            try
            {
                using var node = NodeConnection.Open(result.GetValue(GlobalOptions.Node), result.GetValue(GlobalOptions.Token), result.GetValue(GlobalOptions.Config)?.FullName);
                await run(new Call(node, result.GetValue(GlobalOptions.Json)), result, ct);
                return 0;
            }
            catch (CliException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return ex.Usage ? 2 : 1;
            }
        });
        return command;
    }

    private static async Task Get(Call call, string path, Action<JsonElement> render, CancellationToken ct) =>
        Print(call, await call.Node.SendAsync(HttpMethod.Get, path, null, ct), render);

    private static Task Post(Call call, string path, object? body, Action<JsonElement> render, CancellationToken ct) =>
        Send(call, HttpMethod.Post, path, body, render, ct);

    private static async Task Send(Call call, HttpMethod method, string path, object? body, Action<JsonElement> render, CancellationToken ct) =>
        Print(call, await call.Node.SendAsync(method, path, body, ct), render);

    private static void Print(Call call, JsonElement answer, Action<JsonElement> render)
    {
        if (call.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(answer, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            render(answer);
        }
    }

    private static string Escape(string? value) => Uri.EscapeDataString(value ?? "");
}
