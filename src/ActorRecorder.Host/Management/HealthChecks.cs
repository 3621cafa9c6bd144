using System.Text.Json;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Journal;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ActorRecorder.Host.Management;

/// <summary>Readiness: the journal answers a query.</summary>
internal sealed class JournalHealthCheck(NodeSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using System.Data.Common.DbConnection connection = settings.Journal.Kind == JournalKind.Postgres
                ? new NpgsqlConnection(settings.Journal.PostgresConnectionString)
                : new SqliteConnection(JournalSetup.SqliteConnectionString(settings.Journal.SqlitePath));
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{settings.Journal.Kind} journal answers");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"the {settings.Journal.Kind} journal does not answer: {ex.Message}");
        }
    }
}

/// <summary>
/// Readiness of a cluster node: its lease statements reach the database (a node whose renewals fail holds no channel
/// for long, and gives them up to the others after give-up-after).
/// </summary>
internal sealed class LeasesHealthCheck(NodeSettings settings, Leases.DatabaseHealth database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unreachable = database.UnreachableFor;
        return Task.FromResult(settings.Cluster.IsSingleNode
            ? HealthCheckResult.Healthy("a cluster of one holds no leases")
            : database.GaveUp is { } reason
                ? HealthCheckResult.Unhealthy($"gave its channels up: {reason}")
                : unreachable > settings.Cluster.LeaseRenewInterval
                    ? HealthCheckResult.Unhealthy($"the lease statements have failed for {unreachable.TotalSeconds:0.0} s "
                        + $"(this node gives its channels up after {settings.Cluster.LeaseGiveUpAfter.TotalSeconds:0.#} s if another member reaches the database; "
                        + $"while no member does and the cluster is whole, its channels record on for up to {settings.Cluster.LeaseRideOut.TotalSeconds:0.#} s past their leases; "
                        + $"{database.RiddenOut} lease(s) held so now)")
                    : HealthCheckResult.Healthy("the leases' database answers"));
    }
}

/// <summary>Readiness: the ffmpeg and ffprobe the channels run can be found.</summary>
internal sealed class FfmpegHealthCheck(ChannelConfigService config) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = config.Settings;
        var tools = settings.Channels.Select(c => c.Recording).Append(settings.Recording)
            .SelectMany(r => new[] { r.FfmpegPath, r.FfprobePath }).Distinct(StringComparer.Ordinal).ToList();
        var missing = tools.Where(tool => Find(tool) is null).ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy("found: " + string.Join(", ", tools.Select(t => Find(t))))
            : HealthCheckResult.Unhealthy("not found: " + string.Join(", ", missing) + " (install ffmpeg or set recording.ffmpeg-path / ffprobe-path)"));
    }

    private static string? Find(string tool)
    {
        if (tool.Contains(Path.DirectorySeparatorChar))
        {
            return File.Exists(tool) ? tool : null;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>Readiness: every recordings folder has at least its min-free-disk free.</summary>
internal sealed class DiskHealthCheck(ChannelConfigService config) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = config.Settings;
        var folders = settings.Channels.Select(c => c.Recording).Append(settings.Recording)
            .GroupBy(r => r.OutputDir, StringComparer.Ordinal)
            .Select(g => (Folder: g.Key, Required: g.Max(r => r.MinFreeDisk)));
        var report = new List<string>();
        var low = false;
        foreach (var (folder, required) in folders)
        {
            var free = EngineServices.FreeBytesOf(folder);
            low |= free < Math.Max(required, 1);
            report.Add($"{folder}: {free / (1024 * 1024)} MiB free, {required / (1024 * 1024)} MiB required");
        }
        return Task.FromResult(low ? HealthCheckResult.Unhealthy("disk space low: " + string.Join("; ", report)) : HealthCheckResult.Healthy(string.Join("; ", report)));
    }
}

/// <summary>Readiness: no channel of this node is stopped by a journal it cannot read (each needs a person).</summary>
internal sealed class ChannelsHealthCheck(EngineServices services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unreadable = services.Metrics.UnreadableChannels;
        return Task.FromResult(unreadable.Count == 0
            ? HealthCheckResult.Healthy("every channel reads its journal")
            : HealthCheckResult.Unhealthy($"{unreadable.Count} channel(s) cannot read their journal and record nothing: {string.Join(", ", unreadable)} "
                + "(channel show ID says why)"));
    }
}

/// <summary>
/// Readiness: the platform tools' versions. Degraded (still ready: generic channels need neither) when yt-dlp or streamlink
/// is missing or yt-dlp is older than <c>tools.max-age</c>.
/// </summary>
internal sealed class ToolsHealthCheck(EngineServices services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reports = await services.Tools.ReportAsync(cancellationToken);
        var text = string.Join("; ", reports.Select(r => r.Problem ?? $"{r.Name} {r.Version} ({r.Path})"));
        return reports.Any(r => r.Problem is not null) ? HealthCheckResult.Degraded(text) : HealthCheckResult.Healthy(text);
    }
}

/// <summary>The health endpoints' answer: the overall status and every check's status and description.</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
            }),
        }, ManagementJson.Options);
    }
}
