using System.Text.Json;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// How the simulated devices answer the way down (docs/wire-format.md): <c>stop</c>, <c>start</c> and
/// <c>curtail {"maxPowerKW": …}</c> on turbines; desired <c>maxPowerKW</c> caps the power too, and desired
/// <c>vibrationSampleRateHz</c> on bearings changes the rate (and length) of the vibration blocks, refused with
/// <c>ac</c> 400 outside <see cref="DeviceControls.MinSampleRateHz"/> to <see cref="DeviceControls.MaxSampleRateHz"/>.
/// Each command id is done once: a redelivered request gets the first answer again. Thread-safe.
/// </summary>
public sealed class SimulatedDeviceBehaviour(DeviceControls controls)
{
    /// <summary>The writable property of bearings that sets the vibration sample rate (models/dtmi/twincluster/windfarm/bearing-1.json).</summary>
    public const string SampleRateProperty = "vibrationSampleRateHz";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Status, string Payload)> _done = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _executed;

    /// <summary>Commands carried out (not counting repeated ids).</summary>
    public long Executed => Interlocked.Read(ref _executed);

    /// <summary>Answers a command: a status and a JSON payload.</summary>
    public (int Status, string Payload) Command(string twinId, string name, string commandId, string? payloadJson)
    {
        lock (_gate)
        {
            if (_done.TryGetValue(twinId + "/" + commandId, out var again))
            {
                return again;
            }
        }

        var answer = Execute(twinId, name, payloadJson);
        lock (_gate)
        {
            if (_done.TryAdd(twinId + "/" + commandId, answer))
            {
                _order.Enqueue(twinId + "/" + commandId);
                if (_order.Count > 4096)
                {
                    _done.Remove(_order.Dequeue());
                }
            }
        }

        return answer;
    }

    /// <summary>Applies a desired document and returns the acknowledgement to report (null when nothing is desired).</summary>
    public string? Desired(string twinId, string documentJson)
    {
        using var document = JsonDocument.Parse(documentJson);
        var root = document.RootElement;
        var version = root.TryGetProperty("$version", out var v) && v.TryGetInt64(out var n) ? n : 0;
        var acks = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "$version")
            {
                continue;
            }

            if (property.Name == "maxPowerKW")
            {
                if (property.Value.ValueKind != JsonValueKind.Number || property.Value.GetDouble() < 0)
                {
                    acks[property.Name] = new { value = (double?)controls.PowerLimit(twinId), ac = 400, av = version, ad = "maxPowerKW must be a number of kW, 0 or more" };
                    continue;
                }

                controls.SetPowerLimit(twinId, property.Value.GetDouble());
                acks[property.Name] = new { value = property.Value.GetDouble(), ac = 200, av = version, ad = "power capped" };
            }
            else if (property.Name == SampleRateProperty)
            {
                var problem = property.Value.ValueKind != JsonValueKind.Number
                    ? $"vibrationSampleRateHz must be a number of Hz, not {property.Value.GetRawText()}"
                    : DeviceControls.CheckSampleRate(property.Value.GetDouble());
                if (problem is not null)
                {
                    // Refused: the device reports the rate it keeps sampling at.
                    acks[property.Name] = new { value = controls.SampleRateInUse(twinId), ac = 400, av = version, ad = problem };
                    continue;
                }

                controls.SetSampleRate(twinId, property.Value.GetDouble());
                acks[property.Name] = new { value = property.Value.GetDouble(), ac = 200, av = version, ad = "vibration sampled at the new rate from the next block" };
            }
            else
            {
                acks[property.Name] = new { value = property.Value, ac = 200, av = version, ad = "recorded" };
            }
        }

        return acks.Count == 0 ? null : JsonSerializer.Serialize(acks);
    }

    private (int, string) Execute(string twinId, string name, string? payloadJson)
    {
        switch (name)
        {
            case "stop":
                controls.SetStopped(twinId, true);
                Interlocked.Increment(ref _executed);
                return (200, """{"operatingState":"stopped"}""");
            case "start":
                controls.SetStopped(twinId, false);
                Interlocked.Increment(ref _executed);
                return (200, """{"operatingState":"starting"}""");
            case "curtail":
                double? limit = null;
                if (payloadJson is not null)
                {
                    using var request = JsonDocument.Parse(payloadJson);
                    if (request.RootElement.ValueKind == JsonValueKind.Object && request.RootElement.TryGetProperty("maxPowerKW", out var max)
                        && max.ValueKind == JsonValueKind.Number && max.GetDouble() >= 0)
                    {
                        limit = max.GetDouble();
                    }
                }

                if (limit is null)
                {
                    return (400, "\"curtail needs maxPowerKW, a number of kW, 0 or more\"");
                }

                controls.SetPowerLimit(twinId, limit);
                Interlocked.Increment(ref _executed);
                return (200, JsonSerializer.Serialize(new { operatingState = "curtailed", maxPowerKW = limit }));
            default:
                return (404, JsonSerializer.Serialize($"the simulated device of '{twinId}' has no command '{name}'"));
        }
    }
}
