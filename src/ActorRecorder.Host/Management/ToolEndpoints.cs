using ActorRecorder.Engine;
using ActorRecorder.Platforms.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorRecorder.Host.Management;

/// <summary>
/// The platform tools: <c>GET /api/tools</c> (found now: path, version, installation, problem) and
/// <c>POST /api/tools/update[?tool=yt-dlp]</c> (each updated the way its installation allows; what happened).
/// </summary>
internal static class ToolEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tools", async (EngineServices services, CancellationToken ct) =>
            Results.Json((await services.Tools.InspectAsync(ct)).Select(View).ToList(), ManagementJson.Options));
        app.MapPost("/api/tools/update", async (HttpRequest request, EngineServices services, CancellationToken ct) =>
        {
            IReadOnlyList<string> names = request.Query.TryGetValue("tool", out var tool) ? [tool.ToString()] : PlatformTools.Names;
            if (names.FirstOrDefault(n => !PlatformTools.Names.Contains(n)) is { } unknown)
            {
                return Problems.BadRequest($"unknown tool '{unknown}'; known: {string.Join(", ", PlatformTools.Names)}");
            }
            var updates = new List<ToolUpdateView>();
            foreach (var name in names)
            {
                var update = await services.Tools.UpdateAsync(name, ct);
                updates.Add(new ToolUpdateView(update.Name, update.Updated, update.Before, update.After, update.Command, update.Message));
            }
            return Results.Json(updates, ManagementJson.Options);
        });
    }

    public static ToolView View(ToolReport report) => new(report.Name, report.Path, report.Version, report.Released?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        report.Installation.ToString().ToLowerInvariant() switch
        {
            "virtualenvironment" => "virtual environment",
            "systempackage" => "system package",
            var other => other,
        }, report.Problem);
}

/// <summary>
/// At start, once, when a channel uses the ytdlp resolver: a platform tool that is missing or too old is a warning in the
/// node's log (readiness says it too, for every node).
/// </summary>
internal sealed partial class ToolsStartupReport(EngineServices services, Engine.Settings.NodeSettings settings, Microsoft.Extensions.Logging.ILogger<ToolsStartupReport> log)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Channels.Any(c => c.Sources.Any(s => s.Resolver == "ytdlp")))
        {
            return;
        }
        try
        {
            foreach (var report in await services.Tools.ReportAsync(stoppingToken))
            {
                if (report.Problem is { } problem)
                {
                    LogProblem(log, report.Name, problem);
                }
                else
                {
                    LogFound(log, report.Name, report.Version ?? "?", report.Path ?? "?");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the node stops before the tools answered
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "platform tool {Tool}: {Problem}")]
    private static partial void LogProblem(Microsoft.Extensions.Logging.ILogger logger, string tool, string problem);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "platform tool {Tool} {Version} at {Path}")]
    private static partial void LogFound(Microsoft.Extensions.Logging.ILogger logger, string tool, string version, string path);
}
