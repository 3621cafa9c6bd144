using System.Globalization;
using System.Text.Json;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Management;
using Spectre.Console;

namespace ActorRecorder.Cli.Management;

/// <summary>The API's answers as tables and trees for people (<c>--json</c> prints them as they are).</summary>
internal static class Render
{
    private static T As<T>(JsonElement json) => json.Deserialize<T>(ManagementJson.Options)!;

    public static void Members(JsonElement json)
    {
        var cluster = As<ClusterView>(json);
        var table = Table("address", "status", "reachable", "leader", "roles");
        foreach (var m in cluster.Members)
        {
            table.AddRow(Cell(m.Address + (m.IsSelf ? " (this node)" : "")), Cell(m.Status), Cell(m.Reachable ? "yes" : "[red]no[/]", markup: true),
                Cell(m.IsLeader ? "leader" : ""), Cell(string.Join(",", m.Roles)));
        }
        AnsiConsole.Write(table);
    }

    public static void Downed(JsonElement json)
    {
        var downed = json.GetProperty("downed").EnumerateArray().Select(a => a.GetString()).ToList();
        Console.WriteLine(downed.Count == 0 ? "no unreachable member" : "downed: " + string.Join(", ", downed));
    }

    public static Action<JsonElement> Accepted(string verb) => json =>
        Console.WriteLine($"{verb} requested for {json.GetProperty("address").GetString()}");

    public static void Actors(JsonElement json)
    {
        var root = As<ActorView>(json);
        var tree = new Tree(Label(root));
        Add(tree.AddNode, root.Children);
        AnsiConsole.Write(tree);

        static void Add(Func<string, TreeNode> add, IReadOnlyList<ActorView> children)
        {
            foreach (var child in children)
            {
                var node = add(Label(child));
                Add(node.AddNode, child.Children);
            }
        }

        static string Label(ActorView actor) => Markup.Escape(actor.Path) + (actor.Type is { } type ? $" [grey]({Markup.Escape(type)})[/]" : "");
    }

    public static void Regions(JsonElement json)
    {
        var table = Table("type", "nodes", "shards", "entities");
        foreach (var region in As<List<RegionView>>(json))
        {
            table.AddRow(Cell(region.TypeName), Cell(region.Regions.Count), Cell(region.Regions.Sum(r => r.Shards)), Cell(region.Regions.Sum(r => r.Entities)));
        }
        AnsiConsole.Write(table);
    }

    public static void RegionStats(JsonElement json)
    {
        var table = Table("type", "node", "shards", "entities", "failed shards");
        foreach (var region in As<List<RegionView>>(json))
        {
            foreach (var stats in region.Regions)
            {
                table.AddRow(Cell(region.TypeName), Cell(stats.Node), Cell(stats.Shards), Cell(stats.Entities), Cell(string.Join(",", stats.Failed)));
            }
        }
        AnsiConsole.Write(table);
    }

    public static void Shards(JsonElement json)
    {
        var table = Table("shard", "node", "entities", "ids");
        foreach (var shard in As<List<ShardView>>(json))
        {
            table.AddRow(Cell(shard.ShardId), Cell(shard.Node), Cell(shard.Entities.Count), Cell(string.Join(", ", shard.Entities)));
        }
        AnsiConsole.Write(table);
    }

    public static void Logs(JsonElement json)
    {
        foreach (var line in As<List<LogLine>>(json))
        {
            Console.WriteLine($"{line.At:yyyy-MM-dd HH:mm:ss.fff} {line.Level,-11} {line.Category}: {line.Message}");
        }
    }

    public static void Channels(JsonElement json)
    {
        var table = Table("channel", "state", "session", "recorded", "node");
        foreach (var channel in As<List<ChannelView>>(json))
        {
            table.AddRow(Cell(channel.Id), Cell(State(channel), markup: true), Cell(channel.Session?.Id ?? ""),
                Cell(channel.Session is { } s ? Bytes(s.BytesRecorded + s.BytesInProgress) : ""), Cell(channel.Node ?? ""));
        }
        AnsiConsole.Write(table);
    }

    public static void Channel(JsonElement json)
    {
        var channel = As<ChannelView>(json);
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(new Markup($"[bold]{key}[/]"), new Text(value ?? ""));
        Row("channel", channel.Id);
        foreach (var (source, i) in (channel.Sources.Count > 0 ? channel.Sources : [new(channel.Url, channel.Resolver)]).Select((s, i) => (s, i)))
        {
            Row(i == 0 ? "url" : "", $"{source.Url} ({source.Resolver}){(channel.Sources.Count > 1 ? $" #{i + 1}" : "")}");
        }
        if (channel.Cookies)
        {
            Row("cookies", "sent (cookies-file)");
        }
        if (channel.Proxy is { } proxy)
        {
            Row("proxy", proxy);
        }
        Row("quality", channel.QualityRecorded is { } recorded ? $"{channel.Quality} (recording {recorded})" : channel.Quality);
        grid.AddRow(new Markup("[bold]state[/]"), new Markup(State(channel)));
        if (channel.Problem is { } problem)
        {
            Row("problem", problem);
        }
        if (channel.Skipped is { } skipped)
        {
            Row("skipped", skipped);
        }
        Row("node", channel.Node);
        if (channel.Session is { } session)
        {
            Row("session", session.Id + (session.Title is { } title ? " — " + title : ""));
            Row("started", session.StartedAt?.ToString("u", CultureInfo.InvariantCulture));
            Row("recorded", $"{session.Segments} segments, {Bytes(session.BytesRecorded)} (+{Bytes(session.BytesInProgress)} being written)");
            Row("ffmpeg", session.FfmpegPid is { } pid ? $"pid {pid}, attempt {session.Attempt}" : $"not running (attempt {session.Attempt})");
            Row("writing", session.CurrentFile);
        }
        if (channel.Delivering.Count > 0)
        {
            Row("delivering", string.Join(", ", channel.Delivering));
        }
        AnsiConsole.Write(grid);
    }

    public static void Events(JsonElement json)
    {
        var table = Table("#", "at", "event", "details");
        foreach (var e in As<List<EventView>>(json))
        {
            var details = string.Join(", ", e.Event.EnumerateObject().Where(p => p.Name != "at").Select(p => $"{p.Name}={Short(p.Value)}"));
            table.AddRow(Cell(e.SequenceNr), Cell(e.At.ToString("u", CultureInfo.InvariantCulture)), Cell(e.Type), Cell(details));
        }
        AnsiConsole.Write(table);

        static string Short(JsonElement value)
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            return text.Length > 60 ? text[..57] + "..." : text;
        }
    }

    public static void Recordings(JsonElement json)
    {
        var table = Table("channel", "session", "state", "title", "started", "duration", "size", "parts");
        foreach (var r in As<List<RecordingView>>(json))
        {
            table.AddRow(Cell(r.Channel), Cell(r.Session), Cell(r.State + (r.FailureReason is { } why ? ": " + why : "")
                    + (r.PurgeReason is { } purged ? $" (files deleted by retention: {purged})" : r.FilesDeleted ? " (files deleted)" : "") + (r.Pinned ? " (pinned)" : "")),
                Cell(r.Title ?? ""), Cell(r.StartedAt.ToString("u", CultureInfo.InvariantCulture)), Cell(TimeSpan.FromSeconds(Math.Round(r.DurationSeconds)).ToString()),
                Cell(Bytes(r.Bytes)), Cell(string.Join(", ", r.Parts.Select(p => $"{p.Number}: {Bytes(p.Bytes)}" + (p.Uploads.Count > 0 ? " → " + string.Join("+", p.Uploads.Select(u => u.Target)) : "")))));
        }
        AnsiConsole.Write(table);
    }

    public static void Link(JsonElement json)
    {
        var link = As<LinkView>(json);
        Console.WriteLine(link.Url);
        Console.Error.WriteLine($"expires {link.ExpiresAt:u}");
    }

    public static void Retry(JsonElement json)
    {
        var retry = As<RetryView>(json);
        Console.WriteLine($"retrying the delivery of session {retry.Session} of channel {retry.Channel}");
    }

    public static void Pin(JsonElement json) =>
        Console.WriteLine($"{json.GetProperty("session").GetString()} ({json.GetProperty("channel").GetString()}): "
            + (json.GetProperty("pinned").GetBoolean() ? "pinned; retention never deletes its files" : "unpinned; retention may delete its files once it is delivered"));

    public static void Tools(JsonElement json)
    {
        var table = Table("tool", "version", "released", "installation", "path");
        var problems = new List<string>();
        foreach (var tool in As<List<ToolView>>(json))
        {
            table.AddRow(Cell(tool.Name), Cell(tool.Version ?? "-"), Cell(tool.Released ?? ""), Cell(tool.Installation), Cell(tool.Path ?? ""));
            if (tool.Problem is { } problem)
            {
                problems.Add($"{tool.Name}: {problem}");
            }
        }
        AnsiConsole.Write(table);
        problems.ForEach(Console.WriteLine);
    }

    public static void ToolUpdates(JsonElement json)
    {
        foreach (var update in As<List<ToolUpdateView>>(json))
        {
            Console.WriteLine($"{update.Name}: {update.Message}{(update.Command is { } command ? $" [{command}]" : "")}");
        }
    }

    public static void Probe(JsonElement json)
    {
        var probe = As<ProbeView>(json);
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow(new Markup($"[bold]{key}[/]"), new Text(value ?? ""));
        Row("url", probe.Url);
        Row("resolver", probe.Resolver);
        Row("live", probe.Live ? "yes" : "no" + (probe.Reason is { } why ? $" ({why})" : ""));
        Row("title", probe.Title);
        Row("stream", probe.StreamUrl);
        if (probe.Tools is { } tools)
        {
            Row("tools", tools);
        }
        AnsiConsole.Write(grid);
        if (probe.Streams.Count > 0)
        {
            var table = Table("#", "type", "codec", "size");
            foreach (var s in probe.Streams)
            {
                table.AddRow(Cell(s.Index), Cell(s.Type), Cell(s.Codec ?? ""), Cell(s.Width is { } w ? $"{w}x{s.Height}" : ""));
            }
            AnsiConsole.Write(table);
        }
        else if (probe.Live && probe.Reason is { } reason)
        {
            Console.WriteLine(reason);
        }
    }

    private static string State(ChannelView channel) => channel.Lifecycle == "unreadable" ? "[red]unreadable journal[/]" : channel.State switch
    {
        "recording" => "[green]recording[/]",
        "grace" => "[yellow]grace[/]",
        "paused" => "[grey]paused[/]",
        _ => Markup.Escape(channel.State),
    } + (channel.Paused && channel.State != "paused" ? " [grey](paused)[/]" : "") + (channel.DiskLow ? " [red](disk low)[/]" : "") + (channel.Retiring ? " (being removed)" : "");

    private static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }
        return table;
    }

    private static Spectre.Console.Rendering.IRenderable Cell(object value, bool markup = false) =>
        markup ? new Markup(Convert.ToString(value, CultureInfo.InvariantCulture)!) : new Text(Convert.ToString(value, CultureInfo.InvariantCulture)!);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };
}
