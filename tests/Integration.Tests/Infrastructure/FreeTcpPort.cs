using System.Net;
using System.Net.Sockets;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>Loopback ports the OS reports free right now (another process may still take one; callers retry).</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
