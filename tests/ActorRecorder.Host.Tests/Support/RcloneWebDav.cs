using ActorRecorder.Media.Processes;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// A real rclone remote on loopback: <c>rclone serve webdav</c> over a folder, and an rclone configuration file naming it
/// <c>dav</c>. <c>./build.sh test</c> installs rclone; a machine without it fails the spec rather than skipping it.
/// </summary>
public sealed class RcloneWebDav : IAsyncDisposable
{
    private readonly ChildProcess _server;

    private RcloneWebDav(ChildProcess server, string folder, string configFile)
    {
        _server = server;
        Folder = folder;
        ConfigFile = configFile;
    }

    /// <summary>The folder the server serves: what the remote holds.</summary>
    public string Folder { get; }

    /// <summary>An rclone configuration with the remote <c>dav</c>.</summary>
    public string ConfigFile { get; }

    public static async Task<RcloneWebDav> StartAsync(string root)
    {
        var folder = Path.Combine(root, "remote");
        Directory.CreateDirectory(folder);
        var (server, port) = await LoopbackServer.StartAsync("rclone serve webdav", port =>
            Task.FromResult(ChildProcess.Start("rclone", ["serve", "webdav", folder, "--addr", $"127.0.0.1:{port}", "--config", "/dev/null"])));
        var config = Path.Combine(root, "rclone.conf");
        await File.WriteAllTextAsync(config, $"""
            [dav]
            type = webdav
            url = http://127.0.0.1:{port}
            vendor = other

            """);
        return new RcloneWebDav(server, folder, config);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Kill();
        await _server.DisposeAsync();
    }
}
