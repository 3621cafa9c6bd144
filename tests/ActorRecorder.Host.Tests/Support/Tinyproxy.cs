using ActorRecorder.Media.Processes;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// Debian's tinyproxy on loopback, in the foreground, asking for Basic credentials and logging every request it proxies
/// (<c>Request (file descriptor N): GET http://… HTTP/1.1</c>). <c>./build.sh test</c> installs it; a machine without it
/// fails the spec rather than skipping it.
/// </summary>
public sealed class Tinyproxy : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private Tinyproxy(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string LogPath => Path.Combine(_directory, "tinyproxy.log");

    /// <summary>The request lines it logged so far ("GET http://host/path HTTP/1.1").</summary>
    public IReadOnlyList<string> Requests()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n')
            .Select(line => line.IndexOf("): ", StringComparison.Ordinal) is var at and >= 0 && line.Contains("Request (file descriptor", StringComparison.Ordinal) ? line[(at + 3)..].Trim() : null)
            .OfType<string>()];
    }

    /// <summary>Starts it on a free loopback port, asking for <paramref name="user"/> and <paramref name="password"/>; returns once it accepts connections.</summary>
    public static async Task<Tinyproxy> StartAsync(string user, string password)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ar-tinyproxy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "tinyproxy.conf");
        var (process, port) = await LoopbackServer.StartAsync("tinyproxy", async port =>
        {
            await File.WriteAllTextAsync(config, $"""
                Listen 127.0.0.1
                Port {port}
                Timeout 60
                MaxClients 100
                LogFile "{Path.Combine(directory, "tinyproxy.log")}"
                LogLevel Connect
                BasicAuth {user} {password}
                """);
            return ChildProcess.Start("tinyproxy", ["-d", "-c", config]);
        });
        return new Tinyproxy(process, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
