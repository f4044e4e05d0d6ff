using System.Net;
using System.Net.Sockets;

namespace WinterAI.Testing;

public static class LoopbackPort
{
    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago. Someone else may take it before the caller binds it, so
    /// starters retry with another on "address already in use".
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
