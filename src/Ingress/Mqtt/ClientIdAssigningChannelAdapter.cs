using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// Gives an MQTT 3.1.1 client that connects with an empty client id and a clean session (what <c>mosquitto_pub</c>
/// does without <c>-i</c>; the spec allows it) an id of its own, <c>auto-…</c>, before MQTTnet sees the CONNECT:
/// MQTTnet assigns ids only to MQTT 5 clients and refuses the others with "identifier rejected".
/// </summary>
internal sealed class ClientIdAssigningChannelAdapter(IMqttChannelAdapter inner) : IMqttChannelAdapter
{
    private bool _first = true;

    public System.Net.EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public System.Net.EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public System.Security.Cryptography.X509Certificates.X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public long BytesSent => inner.BytesSent;

    public long BytesReceived => inner.BytesReceived;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        var packet = await inner.ReceivePacketAsync(cancellationToken);
        if (_first)
        {
            _first = false;
            if (packet is MqttConnectPacket { CleanSession: true } connect && string.IsNullOrEmpty(connect.ClientId)
                && inner.PacketFormatterAdapter.ProtocolVersion != MQTTnet.Formatter.MqttProtocolVersion.V500)
            {
                connect.ClientId = "auto-" + Guid.NewGuid().ToString("N");
            }
        }

        return packet;
    }

    public void ResetStatistics() => inner.ResetStatistics();

    public void Dispose() => inner.Dispose();
}
