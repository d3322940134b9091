using System.Net;
using System.Net.Sockets;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>
/// Loopback ports the OS reports free right now (another process may still take one; callers retry). The OS may hand
/// a just-released port out again, so a port is never given twice in one test run.
/// </summary>
public static class FreeTcpPort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
