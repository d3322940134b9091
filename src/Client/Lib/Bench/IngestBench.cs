using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Client.Bench;

/// <summary>Settings of <see cref="IngestBench"/>.</summary>
public sealed record IngestBenchOptions
{
    /// <summary>Broker host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Twins that receive telemetry.</summary>
    public int Twins { get; init; } = 100;

    /// <summary>Publisher connections; each twin is published by one of them, in seq order.</summary>
    public int Publishers { get; init; } = 8;

    /// <summary>QoS 1 publications awaiting their PUBACK per connection.</summary>
    public int InFlight { get; init; } = 64;

    /// <summary>Samples per vibration block.</summary>
    public int Block { get; init; } = 1024;

    /// <summary>Sustained target rate, messages per second over all twins.</summary>
    public double Rate { get; init; } = 10_000;

    /// <summary>How long the sustained phase runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the half-rate latency phase and the unpaced phases run.</summary>
    public TimeSpan ShortPhase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for twins to apply everything after a phase before counting the rest as lost.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Prefix of the bench twins' ids.</summary>
    public string TwinPrefix { get; init; } = "bench-ingest";

    /// <summary>
    /// Publish as signed-in devices (one credential per publisher connection, made through the gateway, each for its
    /// share of the twins), as a broker that requires authentication demands; the raw-broker phase is then skipped,
    /// since a device may publish only under its twins' topics.
    /// </summary>
    public bool SignIn { get; init; }

    /// <summary>Skip the raw-broker phase (a comparison of two runs where one must skip it gives both the same phases).</summary>
    public bool SkipRaw { get; init; }
}

/// <summary>The figures of one phase.</summary>
public sealed record IngestPhaseResult(
    string Name,
    double TargetRate,
    long Published,
    long Acknowledged,
    TimeSpan PublishElapsed,
    long Applied,
    long RedeliveriesIgnored,
    long Lost,
    long DoubleCounted,
    TimeSpan AppliedElapsed,
    double? P50Ms,
    double? P99Ms,
    int Samples)
{
    /// <summary>Messages acknowledged by the broker per second while publishing.</summary>
    public double PublishRate => Acknowledged / PublishElapsed.TotalSeconds;

    /// <summary>Messages applied by the twins per second, until the last was applied.</summary>
    public double AppliedRate => Applied / AppliedElapsed.TotalSeconds;

    /// <summary>Samples applied per second.</summary>
    public double SamplesPerSecond => AppliedRate * Samples;
}

/// <summary>
/// The ingest load generator: publishers → broker → ingress → stream → twins, with the raw broker rate to a
/// subscriber that does nothing as the ceiling. Loss, duplicates and latency come from the twins' own counts
/// (<see cref="ITwinGrain.GetTelemetry"/>); latency is from the message timestamp (set at publish) to application.
/// </summary>
public sealed class IngestBench(IGrainFactory grains, IngestBenchOptions options, Action<string> log)
{
    /// <summary>The bench model: a sensor with one vibration channel.</summary>
    public const string SensorModel = "dtmi:twincluster:bench:Sensor;1";

    private const string SensorModelJson = """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:twincluster:bench:Sensor;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"vibration","schema":"double"},{"@type":"Property","name":"serial","schema":"string"}]}""";

    private readonly List<string> _twins = [];
    private readonly ConcurrentDictionary<string, long> _nextSeq = new(StringComparer.Ordinal);
    private byte[][] _blocks = [];
    private readonly List<DeviceCredential> _devices = [];

    /// <summary>Creates the model and twins (reusing those of an earlier run, continuing their seqs), and the payloads.</summary>
    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        var models = grains.GetModelRepository();
        if (await models.Get(SensorModel) is null)
        {
            var upload = await models.Upload([SensorModelJson]);
            if (!upload.Succeeded)
            {
                throw new InvalidOperationException("the bench model did not upload: " + upload.Errors[0].Message);
            }
        }

        for (var i = 0; i < options.Twins; i++)
        {
            var id = $"{options.TwinPrefix}-{i:D5}";
            var twin = grains.GetTwin(new TwinId(id));
            if (await twin.Get() is null)
            {
                await twin.Create(SensorModel, "{}");
            }

            _twins.Add(id);
            _nextSeq[id] = (await twin.GetTelemetry()).LastSeq + 1;
        }

        if (options.SignIn)
        {
            // A second run against the same silo finds the credentials of the first: a device that already holds
            // exactly this share gets a new password; any other clash is the registry's error.
            var registry = grains.GetDeviceRegistry();
            var existing = (await registry.List()).Where(d => d.RevokedAt is null).ToDictionary(d => d.Username, StringComparer.Ordinal);
            for (var p = 0; p < options.Publishers; p++)
            {
                var share = _twins.Where((_, i) => i % options.Publishers == p).ToList();
                if (share.Count > 0)
                {
                    _devices.Add(existing.TryGetValue(share[0], out var known) && known.Twins.Order(StringComparer.Ordinal).SequenceEqual(share.Order(StringComparer.Ordinal))
                        ? await registry.Rotate(share[0], "bench-ingest")
                        : await registry.Add(share[0], [.. share.Skip(1)], "bench-ingest"));
                }
            }

            log($"publishing as {_devices.Count} signed-in devices");
        }

        // Realistic blocks (a bearing with an outer-race defect), one per twin, encoded once; each message patches
        // its seq and timestamp into the header.
        _blocks = new byte[_twins.Count][];
        for (var i = 0; i < _twins.Count; i++)
        {
            var simulator = new BearingVibrationSimulator(new BearingVibrationOptions
            {
                SampleRateHz = 25_600,
                Bearing = new BearingGeometry(9, 0.3126, 1.537, 0),
                ShaftHz = 25,
                Fault = SimulatedFault.OuterRace,
                Severity = 0.3,
                Seed = i + 1,
            });
            var samples = new double[options.Block];
            simulator.Fill(samples);
            _blocks[i] = BinaryTelemetryCodec.Encode(new TelemetryMessage(new TwinId(_twins[i]), 0, DateTimeOffset.UtcNow, 25_600,
                [new TelemetryChannel("vibration", samples)], WireFormat.Binary));
        }

        log($"{_twins.Count} twins ({options.TwinPrefix}-*), {options.Block}-sample binary blocks of {_blocks[0].Length:N0} bytes, {options.Publishers} publisher connections × {options.InFlight} in flight");
    }

    /// <summary>
    /// The ceiling: the same publishers and payloads to topics outside <c>twins/</c>, received by one subscriber that
    /// does nothing; returns messages per second delivered to the subscriber.
    /// </summary>
    public async Task<double> RawBrokerRateAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        if (options.SignIn || options.SkipRaw)
        {
            log(options.SignIn ? "raw broker: skipped (signed-in devices may publish only under their twins' topics)" : "raw broker: skipped (--skip-raw)");
            return double.NaN;
        }

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        long received = 0;
        long firstTicks = 0, lastTicks = 0;
        subscriber.ApplicationMessageReceivedAsync += _ =>
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref firstTicks, now, 0);
            Volatile.Write(ref lastTicks, now);
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(options.Host, options.Port)
            .WithClientId("bench-raw-sub-" + Guid.NewGuid().ToString("N")[..8]).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(), cancellationToken);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("bench/raw/#").WithAtLeastOnceQoS()).Build(), cancellationToken);
        var published = await PublishAsync(i => $"bench/raw/{i}", rate: null, duration, cancellationToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Interlocked.Read(ref received) < published.Acknowledged && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        var got = Interlocked.Read(ref received);
        var seconds = Stopwatch.GetElapsedTime(firstTicks, lastTicks).TotalSeconds;
        await subscriber.DisconnectAsync(cancellationToken: cancellationToken);
        log($"raw broker: {published.Acknowledged:N0} published, {got:N0} received by a subscriber that does nothing, {got / seconds:N0} msg/s");
        return got / seconds;
    }

    /// <summary>One phase to the twins: paced at <paramref name="rate"/> (null: as fast as acknowledged) for <paramref name="duration"/>.</summary>
    public async Task<IngestPhaseResult> RunPhaseAsync(string name, double? rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var before = await ReadTwinsAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var published = await PublishAsync(i => $"twins/{_twins[i]}/telemetry", rate, duration, cancellationToken);

        // Wait until the twins applied everything acknowledged, or stop making progress.
        var expected = before.Applied + published.Acknowledged;
        var after = before;
        var lastProgress = DateTime.UtcNow;
        var appliedAt = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = await ReadTwinsAsync(cancellationToken);
            if (now.Applied != after.Applied)
            {
                lastProgress = DateTime.UtcNow;
                appliedAt = Stopwatch.GetTimestamp();
            }

            after = now;
            if (after.Applied >= expected || DateTime.UtcNow - lastProgress > options.SettleTimeout)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        var delay = after.Delay.Minus(before.Delay);
        var result = new IngestPhaseResult(name, rate ?? double.NaN, published.Published, published.Acknowledged, published.Elapsed,
            after.Applied - before.Applied, after.Duplicates - before.Duplicates, Math.Max(0, expected - after.Applied),
            Math.Max(0, after.Applied - expected),
            Stopwatch.GetElapsedTime(started, appliedAt), delay.Quantile(0.5), delay.Quantile(0.99), options.Block);
        log($"{name}: {result.Acknowledged:N0} acknowledged at {result.PublishRate:N0} msg/s; applied {result.Applied:N0} at {result.AppliedRate:N0} msg/s " +
            $"({result.SamplesPerSecond / 1e6:0.00} M samples/s); lost {result.Lost:N0}, double-counted {result.DoubleCounted:N0} (redeliveries ignored by twins {result.RedeliveriesIgnored:N0}); publish→applied p50 {result.P50Ms:0.#} ms, p99 {result.P99Ms:0.#} ms");
        return result;
    }

    private async Task<(long Applied, long Duplicates, LatencyHistogram Delay)> ReadTwinsAsync(CancellationToken cancellationToken)
    {
        var statuses = await Task.WhenAll(_twins.Select(id => grains.GetTwin(new TwinId(id)).GetTelemetry()));
        var delay = LatencyHistogram.Empty;
        foreach (var status in statuses)
        {
            delay = delay.Merge(status.EndToEndDelay);
        }

        return (statuses.Sum(s => s.Applied), statuses.Sum(s => s.DuplicatesIgnored), delay);
    }

    private async Task<(long Published, long Acknowledged, TimeSpan Elapsed)> PublishAsync(
        Func<int, string> topicOf, double? rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        long published = 0, acknowledged = 0;
        var started = Stopwatch.GetTimestamp();
        var publishers = Enumerable.Range(0, options.Publishers).Select(async p =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var connect = new MqttClientOptionsBuilder().WithTcpServer(options.Host, options.Port)
                .WithClientId($"bench-pub-{p}-{Guid.NewGuid():N}"[..24]).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithTimeout(TimeSpan.FromSeconds(30));
            if (options.SignIn)
            {
                if (p >= _devices.Count)
                {
                    return;
                }

                connect = connect.WithClientId(_devices[p].ClientId).WithCredentials(_devices[p].Username, _devices[p].Password);
            }

            await client.ConnectAsync(connect.Build(), cancellationToken);
            var mine = Enumerable.Range(0, _twins.Count).Where(i => i % options.Publishers == p).ToArray();
            if (mine.Length == 0)
            {
                return;
            }

            using var slots = new SemaphoreSlim(options.InFlight);
            var perSecond = rate / options.Publishers;
            long sent = 0;
            var pending = new List<Task>();
            while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
            {
                if (perSecond is { } r)
                {
                    var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * r);
                    if (sent >= due)
                    {
                        await Task.Delay(1, cancellationToken);
                        continue;
                    }
                }

                await slots.WaitAsync(cancellationToken);
                var index = mine[sent % mine.Length];
                var payload = NextPayload(index);
                sent++;
                Interlocked.Increment(ref published);
                pending.Add(Send(client, topicOf(index), payload, slots, () => Interlocked.Increment(ref acknowledged)));
                if (pending.Count > 4096)
                {
                    pending.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(pending);
            await client.DisconnectAsync(cancellationToken: cancellationToken);
        }).ToList();
        await Task.WhenAll(publishers);
        return (published, acknowledged, Stopwatch.GetElapsedTime(started));
    }

    private byte[] NextPayload(int index)
    {
        var id = _twins[index];
        var seq = _nextSeq.AddOrUpdate(id, 1, (_, s) => s + 1) - 1;
        var payload = (byte[])_blocks[index].Clone();
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), seq);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(16), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return payload;
    }

    private static async Task Send(IMqttClient client, string topic, byte[] payload, SemaphoreSlim slots, Action acknowledged)
    {
        try
        {
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithContentType(ContentTypes.BinaryBlock).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            if (result.IsSuccess)
            {
                acknowledged();
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
