using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TwinCluster.Client;
using TwinCluster.Simulation;
using TwinCluster.Simulation.Import;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cli;
using TwinCluster.Wire;
using Xunit;

namespace TwinCluster.Integration.Tests.Telemetry;

/// <summary>What the telemetry-path tests share: the wind-farm fleet, MQTT publishers, and waiting on twins.</summary>
internal static class TelemetryTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<TwinClusterConnection> ConnectAsync(int gatewayPort, string clusterId, string? connectionString = null)
    {
        var options = new TwinClientOptions { ClusterId = clusterId, ConnectionString = connectionString };
        options.Gateways.Clear();
        if (connectionString is null)
        {
            options.Gateways.Add($"127.0.0.1:{gatewayPort}");
        }

        return await TwinClusterConnection.ConnectAsync(options);
    }

    /// <summary>Uploads the wind-farm models and imports the two-turbine example farm.</summary>
    public static async Task LoadSmallFarmAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var import = await ExampleFarm.LoadAsync(grains, Path.Combine(CliProcess.RepoRoot, "models"), cancellationToken);
        Assert.NotNull(import);   // a fresh cluster: imported now
    }

    public static async Task<IMqttClient> ConnectPublisherAsync(int port, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? $"test-{Guid.NewGuid():N}"[..20])
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(20))
            .Build());
        return client;
    }

    /// <summary>Publishes at QoS 1 and returns whether the broker acknowledged it.</summary>
    public static async Task<bool> PublishAsync(IMqttClient client, string topic, byte[] payload, string? contentType = null)
    {
        var builder = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (contentType is not null)
        {
            builder = builder.WithContentType(contentType);
        }

        var result = await client.PublishAsync(builder.Build());
        return result.IsSuccess;
    }

    public static byte[] Json(long seq, string values, DateTimeOffset? ts = null, string extra = "") =>
        Encoding.UTF8.GetBytes(
            "{\"seq\":" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ",\"ts\":\"" + (ts ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) + "\""
            + extra + ",\"values\":{" + values + "}}");

    public static byte[] Block(string twinId, long seq, int samples = 1024, string channel = "vibration")
    {
        var values = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            values[i] = Math.Sin(i * 0.1) * 0.5;
        }

        return BinaryTelemetryCodec.Encode(new TelemetryMessage(new TwinId(twinId), seq, DateTimeOffset.UtcNow, 25_600,
            [new TelemetryChannel(channel, values)], WireFormat.Binary));
    }

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds, within <see cref="Patience"/>; fails with the last value.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never reached the expected state; last: {value}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Reads the twin's telemetry status until <paramref name="done"/> holds; fails with the last status.</summary>
    public static async Task<TelemetryStatus> WaitForAsync(IGrainFactory grains, string twinId, Func<TelemetryStatus, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        TelemetryStatus status;
        do
        {
            status = await grains.GetTwin(new TwinId(twinId)).GetTelemetry();
            if (done(status))
            {
                return status;
            }

            await Task.Delay(100, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"twin {twinId} never reached the expected telemetry state; last: applied {status.Applied}, last seq {status.LastSeq}, " +
            $"filled {status.FilledFromLog}, duplicates {status.DuplicatesIgnored}, skipped {status.Skipped}");
        return status;
    }

    /// <summary>Waits until the dead-letter store counts at least <paramref name="count"/> letters for <paramref name="reason"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> WaitForDeadLettersAsync(IGrainFactory grains, Func<IReadOnlyDictionary<string, long>, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        IReadOnlyDictionary<string, long> counts;
        do
        {
            counts = await grains.GetGrain<IDeadLetterGrain>(0).CountByReason();
            if (done(counts))
            {
                return counts;
            }

            await Task.Delay(100, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail("dead letters never reached the expected counts; last: " + string.Join(", ", counts.Select(p => $"{p.Key} {p.Value}")));
        return counts;
    }
}
