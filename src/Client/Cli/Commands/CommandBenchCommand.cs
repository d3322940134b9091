using System.Buffers;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin bench commands</c>: command round trips through the cluster (twin → relay → broker → device → relay → twin)
/// at a paced rate, against the raw broker round trip measured in the same run (one MQTT client answering itself),
/// on the same broker. Prints rate, p50/p99 of both and their ratio, and the machine's load average.
/// </summary>
public static class CommandBenchCommand
{
    private const string Model = """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:twincluster:bench:Commanded;1","@type":"Interface","contents":[
          {"@type":"Command","name":"ping","request":{"name":"n","schema":"integer"},"response":{"name":"n","schema":"integer"}}]}
        """;

    public static Command Build()
    {
        var rate = new Option<int>("--rate") { Description = "Commands per second to offer.", DefaultValueFactory = _ => 500 };
        var seconds = new Option<double>("--duration") { Description = "Seconds to measure each of the two.", DefaultValueFactory = _ => 10 };
        var twins = new Option<int>("--twins") { Description = "Twins the commands are spread over.", DefaultValueFactory = _ => 16 };
        var host = new Option<string>("--mqtt-host") { Description = "The broker the silo's relay uses (the built-in one by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--mqtt-port") { Description = "Its port.", DefaultValueFactory = _ => 1883 };
        var user = new Option<string?>("--mqtt-user") { Description = "User name for the broker (the bench's device and reference client)." };
        var password = new Option<string?>("--mqtt-password") { Description = "Password (or TWIN_MQTT_PASSWORD)." };
        var command = new Command("commands", "Command round trips per second and p50/p99 latency, against the raw broker round trip in the same run.")
        {
            rate, seconds, twins, host, port, user, password,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            if (ctx.Value(rate) < 1 || ctx.Value(twins) < 1 || !(ctx.Value(seconds) > 0))
            {
                throw new UsageException("--rate, --twins and --duration must be positive");
            }

            await using var connection = await ctx.ConnectAsync(ct);
            var grains = connection.Client;
            if (await grains.GetModelRepository().Get("dtmi:twincluster:bench:Commanded;1") is null
                && await grains.GetModelRepository().Upload([Model]) is { Succeeded: false } upload)
            {
                throw new InvalidOperationException("bench model upload failed: " + string.Join("; ", upload.Errors));
            }

            var ids = Enumerable.Range(0, ctx.Value(twins)).Select(i => new TwinId($"bench-cmd-{i:D3}")).ToList();
            foreach (var id in ids)
            {
                if (await grains.GetTwin(id).Get() is null)
                {
                    await grains.GetTwin(id).Create("dtmi:twincluster:bench:Commanded;1", "{}");
                }
            }

            var mqtt = new MqttClientOptionsBuilder().WithTcpServer(ctx.Value(host), ctx.Value(port)).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
            var secret = ctx.Value(password) ?? Environment.GetEnvironmentVariable("TWIN_MQTT_PASSWORD");
            if (ctx.Value(user) is { } name)
            {
                mqtt = mqtt.WithCredentials(name, secret);
            }

            using var device = new MqttClientFactory().CreateMqttClient();
            device.ApplicationMessageReceivedAsync += async e =>
            {
                var m = e.ApplicationMessage;
                var reply = new MqttApplicationMessageBuilder().WithTopic(m.ResponseTopic ?? "bench/none").WithCorrelationData(m.CorrelationData)
                    .WithPayload(m.Payload.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                await device.PublishAsync(reply);
            };
            await device.ConnectAsync(mqtt.WithClientId("bench-device-" + Guid.NewGuid().ToString("N")[..8]).Build(), ct);
            var subscribe = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("bench/raw/req/#").WithAtLeastOnceQoS());
            foreach (var id in ids)
            {
                subscribe = subscribe.WithTopicFilter(f => f.WithTopic(CommandTopics.CommandFilter(id)).WithAtLeastOnceQoS());
            }

            await device.SubscribeAsync(subscribe.Build(), ct);

            // The reference: one client asks, the device client above answers, the same path through the broker.
            using var asker = new MqttClientFactory().CreateMqttClient();
            var waiting = new ConcurrentDictionary<string, TaskCompletionSource>();
            asker.ApplicationMessageReceivedAsync += e =>
            {
                if (e.ApplicationMessage.CorrelationData is { Length: > 0 } c && waiting.TryRemove(Encoding.UTF8.GetString(c), out var done))
                {
                    done.TrySetResult();
                }

                return Task.CompletedTask;
            };
            await asker.ConnectAsync(mqtt.WithClientId("bench-asker-" + Guid.NewGuid().ToString("N")[..8]).Build(), ct);
            await asker.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("bench/raw/res/#").WithAtLeastOnceQoS()).Build(), ct);

            var options = new CommandOptions(TimeSpan.FromSeconds(10));
            // Warm-up: every twin once, unmeasured.
            await Task.WhenAll(ids.Select(id => grains.GetTwin(id).InvokeCommand("ping", "0", options)));
            var raw = await Paced(ctx.Value(rate), ctx.Value(seconds), async n =>
            {
                var key = n.ToString(CultureInfo.InvariantCulture);
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting[key] = done;
                await asker.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("bench/raw/req/" + key).WithResponseTopic("bench/raw/res/" + key)
                    .WithCorrelationData(Encoding.UTF8.GetBytes(key)).WithPayload(key).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
                return true;
            }, ct);
            var twin = await Paced(ctx.Value(rate), ctx.Value(seconds), async n =>
                (await grains.GetTwin(ids[(int)(n % ids.Count)]).InvokeCommand("ping", n.ToString(CultureInfo.InvariantCulture), options)).Outcome == CommandOutcome.Answered, ct);

            var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine load average (1, 5, 15 min): {load}; {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"offered {ctx.Value(rate)}/s for {ctx.Value(seconds)} s each, over {ids.Count} twins, broker {ctx.Value(host)}:{ctx.Value(port)}"));
            Console.WriteLine(raw.Line("raw broker round trip (client answering itself)"));
            Console.WriteLine(twin.Line("command round trip through the twin"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio twin/raw: p50 {twin.P50 / raw.P50:0.0}x, p99 {twin.P99 / raw.P99:0.0}x; target p99 < 50 ms at 500/s: {(twin.P99 < 50 && twin.Rate >= 0.95 * 500 && ctx.Value(rate) >= 500 ? "met" : "not met")}"));
            return twin.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }

    private static async Task<Figures> Paced(int rate, double seconds, Func<long, Task<bool>> call, CancellationToken ct)
    {
        var total = (long)(rate * seconds);
        var latencies = new double[total];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task>((int)total);
        for (long n = 0; n < total; n++)
        {
            var due = n * 1000.0 / rate;
            var wait = due - clock.Elapsed.TotalMilliseconds;
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
            }

            var index = n;
            tasks.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (!await call(index))
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }

                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }, ct));
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Figures(total / elapsed, latencies[(int)(0.50 * (total - 1))], latencies[(int)(0.99 * (total - 1))], failed, total);
    }

    private sealed record Figures(double Rate, double P50, double P99, int Failed, long Total)
    {
        public string Line(string what) => string.Create(CultureInfo.InvariantCulture,
            $"{what}: {Rate:0} round trips/s, p50 {P50:0.00} ms, p99 {P99:0.00} ms ({Total - Failed}/{Total} answered)");
    }
}
