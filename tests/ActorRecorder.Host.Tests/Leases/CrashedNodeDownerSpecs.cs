using System.Net;
using System.Net.Sockets;
using ActorRecorder.Host.Leases;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>
/// What proves a member's process gone: its port refusing connections, and nothing else. (The downing itself is seen on
/// real nodes: ClusterSpecs' killed node is downed by this path.)
/// </summary>
public sealed class CrashedNodeDownerSpecs
{
    [Fact]
    public async Task A_port_nothing_listens_on_must_count_as_refusing()
    {
        var port = FreePort(); // bound and released: nothing listens there now
        Assert.True(await CrashedNodeDowner.RefusesAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_listening_port_must_not_count_as_refusing_even_if_its_process_never_accepts()
    {
        // A frozen process: the kernel completes the handshake on its listening socket; nobody calls accept.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 1);
        Assert.False(await CrashedNodeDowner.RefusesAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port));
    }

    [Fact]
    public async Task A_host_that_cannot_be_resolved_must_not_count_as_refusing()
    {
        Assert.False(await CrashedNodeDowner.RefusesAsync("no-such-node.invalid", 4053));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
