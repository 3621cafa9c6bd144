using System.CommandLine;
using ActorRecorder.Media.Probing;
using Spectre.Console;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>actorrecorder demo</c>: records a synthetic live broadcast end to end — live, a drop shorter than the
/// grace period, back, end — with a live view of the channel, then lists the session's files.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Record a synthetic live broadcast (test pattern + tone over HLS on 127.0.0.1) end to end");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[bold]ActorRecorder demo[/]: a synthetic stream goes live, drops for less than the grace period, comes back and ends.");
        await using var scenario = await DemoScenario.StartAsync();
        AnsiConsole.MarkupLine($"source: [blue]{scenario.Source.PlaylistUrl}[/]   files: [blue]{Markup.Escape(scenario.Root)}[/]");
        var api = Host.Management.ManagementApi.Address(scenario.Node.Services);
        AnsiConsole.MarkupLine($"management API: [blue]{api}[/] — while the demo runs, try [bold]actorrecorder --config {Markup.Escape(scenario.Root)}/node.conf channel show demo[/]\n");
        var run = scenario.RunAsync(cancellationToken);
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Live(new Text("")).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    context.UpdateTarget(await View(scenario));
                    await Task.WhenAny(run, Task.Delay(500, cancellationToken));
                }
                context.UpdateTarget(await View(scenario));
            });
        }
        else
        {
            var printed = new HashSet<string>();
            while (!run.IsCompleted)
            {
                foreach (var line in scenario.RecentEvents.Where(printed.Add))
                {
                    Console.WriteLine(line);
                }
                await Task.WhenAny(run, Task.Delay(500, cancellationToken));
            }
            foreach (var line in scenario.RecentEvents.Where(printed.Add))
            {
                Console.WriteLine(line);
            }
        }
        await run;
        await ListFiles(scenario);
        await ShowRecordingsAsync(scenario, cancellationToken);
        return 0;
    }

    private static async Task<Spectre.Console.Rendering.IRenderable> View(DemoScenario scenario)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(scenario.Phase)}[/]");
        table.AddColumn("channel").AddColumn("state").AddColumn("session").AddColumn("segments").AddColumn("recorded").AddColumn("ffmpeg pid");
        foreach (var status in await scenario.Node.GetStatusAsync())
        {
            var bytes = status.BytesRecorded + status.BytesInProgress;
            table.AddRow(status.ChannelId, Color(status.Mode), status.SessionId ?? (status.ProcessingSessionIds.Count > 0 ? "(processing)" : "-"),
                status.Segments.ToString(), $"{bytes / 1024.0 / 1024.0:0.0} MiB", status.FfmpegPid?.ToString() ?? "-");
        }
        var events = scenario.RecentEvents.Select(line => (Spectre.Console.Rendering.IRenderable)new Markup($"[grey]{Markup.Escape(line)}[/]"));
        return new Rows(table, new Panel(new Rows(events)).Header("persisted events").Expand());
    }

    private static string Color(Engine.Channel.ChannelMode mode) => mode switch
    {
        Engine.Channel.ChannelMode.Recording => "[red]● Recording[/]",
        Engine.Channel.ChannelMode.Grace => "[yellow]Grace[/]",
        _ => mode.ToString(),
    };

    /// <summary>The session as the management API reports it (what <c>actorrecorder recording list</c> prints).</summary>
    private static async Task ShowRecordingsAsync(DemoScenario scenario, CancellationToken cancellationToken)
    {
        using var node = Management.NodeConnection.Open(Host.Management.ManagementApi.Address(scenario.Node.Services)!.Authority, null,
            Path.Combine(scenario.Root, "node.conf"));
        AnsiConsole.MarkupLine("\n[bold]actorrecorder recording list[/] (GET /api/recordings):");
        Management.Render.Recordings(await node.SendAsync(HttpMethod.Get, "/api/recordings", null, cancellationToken));
    }

    private static async Task ListFiles(DemoScenario scenario)
    {
        var session = scenario.Result!.Session;
        var table = new Table().Border(TableBorder.Simple).Title($"session {session.Id}: {session.Segments.Count} segments");
        table.AddColumn("file").AddColumn(new TableColumn("duration").RightAligned()).AddColumn(new TableColumn("size").RightAligned()).AddColumn("attempt");
        var ffprobe = new Ffprobe();
        var total = TimeSpan.Zero;
        foreach (var segment in session.Segments)
        {
            var probe = await ffprobe.ProbeAsync(segment.Path, TimeSpan.FromSeconds(20));
            total += probe.Duration ?? TimeSpan.Zero;
            table.AddRow(Markup.Escape(Path.GetFileName(segment.Path)), $"{probe.Duration?.TotalSeconds:0.00} s",
                $"{segment.Bytes / 1024} KiB", segment.Attempt.ToString());
        }
        AnsiConsole.WriteLine();
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"folder: [blue]{Markup.Escape(session.Directory)}[/]");
        var archive = Path.Combine(scenario.Root, "archive");
        var parts = Directory.Exists(archive) ? Directory.GetFiles(archive, "part-*.mp4", SearchOption.AllDirectories).Order().ToArray() : [];
        if (parts.Length > 0)
        {
            AnsiConsole.MarkupLine($"archive: [blue]{Markup.Escape(Path.GetDirectoryName(parts[0])!)}[/]: " +
                string.Join(", ", parts.Select(p => $"{Path.GetFileName(p)} ({new FileInfo(p).Length / 1024} KiB)")));
        }
        AnsiConsole.MarkupLine($"total recorded: [green]{total.TotalSeconds:0.0} s[/] in one session across {session.Segments.Select(s => s.Attempt).Distinct().Count()} ffmpeg attempt(s); the drop did not split the broadcast.");
    }
}
