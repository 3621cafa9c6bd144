using System.Net;
using System.Net.Sockets;

namespace ActorRecorder.Host;

/// <summary>
/// A port the node must listen on is held by another process (often a second node on the same machine). Checked before
/// anything starts, so the node refuses with one line naming the setting and the address instead of failing half-started.
/// </summary>
public sealed class PortInUseException(string key, string address)
    : Exception($"at '{key}': {address} is already in use (another node on this machine?); set another port")
{
    public string Key { get; } = key;

    public string Address { get; } = address;

    /// <summary>Throws when nothing could listen on <paramref name="hostname"/>:<paramref name="port"/> now (port 0 always can).</summary>
    /// <param name="key">The setting the port comes from, for the message.</param>
    public static void ThrowIfTaken(string hostname, int port, string key)
    {
        if (port == 0)
        {
            return;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(hostname, out var parsed) ? [parsed] : Dns.GetHostAddresses(hostname);
        }
        catch (SocketException)
        {
            return; // an unknown host name: the listener's own start says what is wrong with it
        }
        foreach (var address in addresses)
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new PortInUseException(key, $"{hostname}:{port}");
            }
            catch (SocketException)
            {
                // Not an address of this machine, say: the listener's own start reports it.
            }
        }
    }

    /// <summary>Whether <paramref name="error"/> (or what caused it) is a listener finding its address taken after the check.</summary>
    public static bool IsAddressInUse(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }
        return false;
    }
}
