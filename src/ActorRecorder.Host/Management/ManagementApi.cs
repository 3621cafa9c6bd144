using System.Net;
using ActorRecorder.Engine.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ActorRecorder.Host.Management;

/// <summary>
/// The node's management API: ASP.NET Core minimal APIs on Kestrel, in the node's own host. Every endpoint but
/// <c>/health</c> and the signed <c>/download</c> links needs <c>Authorization: Bearer &lt;token&gt;</c>: 401 without
/// one, 401 <c>invalid_token</c> with a wrong one (RFC 6750); 403 is for forged or expired download links. Errors are JSON problem details that say what is wrong.
/// </summary>
public static class ManagementApi
{
    public const string LiveTag = "live";

    public static void AddManagement(this WebApplicationBuilder builder, NodeSettings settings, ManagementToken token, LogRing logs)
    {
        var http = settings.Management;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A live-stream client that stops reading holds at most this much in Kestrel before its writes wait.
            kestrel.Limits.MaxResponseBufferSize = 64 * 1024;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            if (http.Hostname is "0.0.0.0" or "*")
            {
                kestrel.ListenAnyIP(http.Port);
            }
            else if (http.Hostname == "localhost")
            {
                kestrel.ListenLocalhost(http.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.TryParse(http.Hostname, out var ip) ? ip : Dns.GetHostAddresses(http.Hostname)[0], http.Port);
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ManagementJson.Options.PropertyNamingPolicy;
            foreach (var converter in ManagementJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<JournalReader>();
        builder.Services.AddSingleton<NodeApi>();
        builder.Services.AddHealthChecks()
            .AddCheck<JournalHealthCheck>("journal")
            .AddCheck<FfmpegHealthCheck>("ffmpeg")
            .AddCheck<DiskHealthCheck>("disk")
            .AddCheck<ChannelsHealthCheck>("channels")
            .AddCheck<LeasesHealthCheck>("leases")
            .AddCheck<ToolsHealthCheck>("tools");
        builder.Services.AddSingleton<ManagementMetrics>();
        builder.Services.AddHostedService<ToolsStartupReport>();
    }

    /// <summary>The endpoints, behind the token check.</summary>
    public static void MapManagement(this WebApplication app)
    {
        app.Use(RequireToken);
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.Services.GetRequiredService<ManagementMetrics>().Map(app);
        ChannelEndpoints.Map(app);
        ClusterEndpoints.Map(app);
        RecordingEndpoints.Map(app);
        ToolEndpoints.Map(app);
        LiveEndpoint.Map(app);
        app.MapFallback(() => Problems.NotFound("no such endpoint; see the README's management API section for the endpoints"));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (Address(app.Services) is not { } address)
            {
                return;
            }
            // Where the CLI finds this node when it is given the node's configuration (the port may have been 0).
            var settings = app.Services.GetRequiredService<NodeSettings>();
            var file = AddressFile(settings.DataDir);
            File.WriteAllText(file + ".tmp", address + "\n");
            File.Move(file + ".tmp", file, overwrite: true);
            ManagementLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorRecorder.Management"), address.ToString());
        });
    }

    /// <summary>The file a running node writes its management API's address to, under its data directory.</summary>
    public static string AddressFile(string dataDir) => Path.Combine(dataDir, "management.address");

    /// <summary>Where the API listens once the host runs (the port is the real one when the configuration said 0).</summary>
    public static Uri? Address(IServiceProvider services) =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).FirstOrDefault();

    private static async Task RequireToken(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path == "/health" || path.StartsWithSegments("/download"))
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            await Problems.Unauthorized(header.Length == 0
                    ? "missing Authorization header; send 'Authorization: Bearer <token>' (the token is in <data-dir>/management.token)"
                    : "the Authorization header is not 'Bearer <token>'")
                .ExecuteAsync(context);
            return;
        }
        if (!context.RequestServices.GetRequiredService<ManagementToken>().Matches(header[7..].Trim()))
        {
            // RFC 6750 §3.1: a token that is not valid here is 401 invalid_token (403 is for a valid token without the right).
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer error=\"invalid_token\", error_description=\"not this node's management token\"";
            await Problems.Unauthorized("the bearer token is not this node's management token").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}

internal static partial class ManagementLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "management API listening on {Address} (token in the configuration or <data-dir>/management.token)")]
    public static partial void Listening(ILogger logger, string address);
}
