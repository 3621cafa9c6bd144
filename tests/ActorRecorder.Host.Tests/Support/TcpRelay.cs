using System.Net;
using System.Net.Sockets;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>
/// A TCP relay on loopback in front of a real server, to put a network fault between a client and it.
/// <see cref="Cut"/> is a partition: nothing is closed or refused, bytes simply stop arriving both ways, and new
/// connections are accepted and never answered — the server seems to hang, the hardest case for a client's timeouts.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private volatile bool _down;

    private TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TcpRelay Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>From now on nothing gets through, on open connections or new ones.</summary>
    public void Cut() => _cut = true;

    /// <summary>
    /// What a client sees of a server that stops (a PostgreSQL restart): every open connection is reset, and every new one
    /// is reset as it arrives, until <see cref="Restore"/>.
    /// </summary>
    public void Stop()
    {
        _down = true;
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                Reset(client);
            }
            _clients.Clear();
        }
    }

    /// <summary>New connections get through again (those opened or held while cut stay hung: their clients time them out).</summary>
    public void Restore()
    {
        _down = false;
        _cut = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            if (_down)
            {
                Reset(inbound);
                continue;
            }
            Track(inbound);
            if (!_cut)
            {
                _ = RelayAsync(inbound);
            }
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        try
        {
            var outbound = Track(new TcpClient());
            await outbound.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(inbound.GetStream(), outbound.GetStream()), PumpAsync(outbound.GetStream(), inbound.GetStream()));
            inbound.Dispose();
            outbound.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            inbound.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await from.ReadAsync(buffer, _stop.Token) is var read and > 0)
            {
                if (_cut)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token); // hold the bytes: the connection hangs, it does not fail
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket) // null once disposed
            {
                socket.LingerState = new LingerOption(true, 0); // closing sends a reset, not a polite end of stream
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        client.Dispose();
    }

    private TcpClient Track(TcpClient client)
    {
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }
}
