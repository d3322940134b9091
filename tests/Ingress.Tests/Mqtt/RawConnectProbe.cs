using System.Net.Sockets;

namespace TwinCluster.Ingress.Tests.Mqtt;

/// <summary>Sends one MQTT 3.1.1 CONNECT by hand, so the client id on the wire is exactly what the test says.</summary>
internal static class RawConnectProbe
{
    /// <summary>The CONNACK return code (0 accepted, 2 identifier rejected), or null when the broker closed without one.</summary>
    public static async Task<byte?> Connect311Async(int port, string clientId, bool cleanSession, CancellationToken cancellationToken)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(clientId);
        byte[] variable = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, (byte)(cleanSession ? 0x02 : 0x00), 0x00, 0x3C,
            (byte)(id.Length >> 8), (byte)id.Length, .. id];
        byte[] packet = [0x10, (byte)variable.Length, .. variable];
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(packet, cancellationToken);
        var connack = new byte[4];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (read < connack.Length)
        {
            var n = await stream.ReadAsync(connack.AsMemory(read), timeout.Token);
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        Assert.Equal([0x20, 0x02], connack[..2]);
        return connack[3];
    }
}
