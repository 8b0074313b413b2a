using System.Net;
using System.Net.Sockets;

namespace DocServer.Testing;

/// <summary>Ports on 127.0.0.1 that nothing listens on (at the moment of asking).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A free port below the kernel's ephemeral range. A port from the ephemeral range (what binding port 0 gives) was
    /// sometimes taken, between the asking and an app's own bind, as the local end of one of the tests' outgoing
    /// connections (to Azurite, to the scripted host): the app then failed to start, "address already in use".
    /// </summary>
    public static int Free()
    {
        var below = EphemeralStart();
        while (true)
        {
            var port = Random.Shared.Next(below / 2, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // Taken: draw another.
            }
        }
    }

    private static int EphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > 2048
            ? start
            : 32768;
    }
}
