using System.Net;
using System.Net.Sockets;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>A real server process (tinyproxy, rclone serve) started on a free loopback port.</summary>
public static class LoopbackServer
{
    /// <summary>
    /// Starts <paramref name="start"/>'s process on a free port and returns once the port accepts connections; up to three
    /// ports, since another process may take one between the check and the start.
    /// </summary>
    public static async Task<(ChildProcess Process, int Port)> StartAsync(string what, Func<int, Task<ChildProcess>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var process = await start(port);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // either listens well within a second on a loaded machine
            while (!process.HasExited && !deadline.IsCancellationRequested)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return (process, port);
                }
                catch (SocketException)
                {
                    await Task.Delay(50);
                }
            }
            await process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{what} did not start: {string.Join(" | ", process.StderrTail)}");
            }
        }
    }
}
