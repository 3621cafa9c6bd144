using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Management;

namespace ActorRecorder.Host.Tests.Management;

/// <summary>An HTTP client for a node's management API, with its token; answers are read as the API's JSON.</summary>
public sealed class ManagementClient : IDisposable
{
    public ManagementClient(Uri address, string token)
    {
        Address = address;
        Token = token;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Anonymous = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>The client of a node started in this process (its API's address and its token: configured, or the generated one).</summary>
    public static ManagementClient For(RecorderNode node) =>
        new(ManagementApi.Address(node.Services) ?? throw new InvalidOperationException("the node serves no management API"),
            node.Settings.Management.Token ?? File.ReadAllText(ManagementSettings.GeneratedTokenFile(node.Settings.DataDir)).Trim());

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        await EnsureAsync(response, path);
        return (await response.Content.ReadFromJsonAsync<T>(ManagementJson.Options))!;
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await (client ?? Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new Xunit.Sdk.XunitException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        Anonymous.Dispose();
    }
}
