using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host.Management;

namespace ActorRecorder.Cli.Management;

/// <summary>
/// How the CLI reaches a node's management API. The node: <c>--node host:port</c>, else the address a running node
/// wrote to its data directory (the node of <c>--config</c>, or ./data), else that configuration's host and port,
/// else 127.0.0.1:9110. The token: <c>--token</c>, else ACTORRECORDER_MANAGEMENT_TOKEN, else the configuration's,
/// else the node's token file (<c>&lt;data-dir&gt;/management.token</c>).
/// </summary>
internal sealed class NodeConnection : IDisposable
{
    private readonly HttpClient _http;

    private NodeConnection(Uri address, string? token)
    {
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(100) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Address { get; }

    /// <exception cref="CliException">The node or the configuration given cannot be used.</exception>
    public static NodeConnection Open(string? node, string? token, string? configPath)
    {
        ManagementSettings management = ManagementSettings.Default;
        var dataDir = Path.GetFullPath("data");
        if (configPath is not null)
        {
            try
            {
                var settings = EngineSettings.LoadFile(configPath);
                management = settings.Management;
                dataDir = settings.DataDir;
            }
            catch (ConfigException ex)
            {
                throw new CliException(ex.Message);
            }
        }
        Uri address;
        if (node is not null)
        {
            address = ParseNode(node);
        }
        else if (ReadFile(ManagementApi.AddressFile(dataDir)) is { } written && Uri.TryCreate(written, UriKind.Absolute, out var running))
        {
            address = running;
        }
        else
        {
            address = new Uri($"http://{(management.Hostname is "0.0.0.0" or "*" ? "127.0.0.1" : management.Hostname)}:{(management.Port == 0 ? 9110 : management.Port)}/");
        }
        token ??= Environment.GetEnvironmentVariable("ACTORRECORDER_MANAGEMENT_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : management.Token ?? ReadFile(ManagementSettings.GeneratedTokenFile(dataDir));
        return new NodeConnection(address, token);
    }

    public static Uri ParseNode(string node)
    {
        var text = node.Contains("://", StringComparison.Ordinal) ? node : "http://" + node;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")
            : throw new CliException($"--node must be host:port (e.g. 127.0.0.1:9110), got '{node}'", usage: true);
    }

    /// <summary>Sends a request; a non-success answer becomes a <see cref="CliException"/> with the API's own explanation.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, ManagementJson.Options), Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException($"cannot reach the node's management API at {Address} ({ex.Message}); is the node running? (--node host:port)");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"{(int)response.StatusCode} {Detail(text) ?? response.ReasonPhrase}");
            }
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static string? Detail(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return problem.Length > 0 ? problem : null;
        }
    }

    private static string? ReadFile(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    public void Dispose() => _http.Dispose();
}

/// <summary>A failure the CLI reports in one line (exit code 1, or 2 for a usage error).</summary>
internal sealed class CliException(string message, bool usage = false) : Exception(message)
{
    public bool Usage { get; } = usage;
}
