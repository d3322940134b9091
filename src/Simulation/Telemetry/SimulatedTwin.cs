using System.Text.Json;
using TwinCluster.Analytics;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// A twin for <see cref="FleetSimulation"/>: its id and model, the bearing geometry and vibration sample rate taken
/// from its properties when it has them, and its container (so components share their turbine's operating state).
/// </summary>
public sealed record SimulatedTwin(TwinId TwinId, string ModelId)
{
    /// <summary>Bearing geometry (from <c>balls</c>, <c>ballDiameterMm</c>, <c>pitchDiameterMm</c>, <c>contactAngleDeg</c>).</summary>
    public BearingGeometry? Bearing { get; init; }

    /// <summary>The twin's <c>vibrationSampleRateHz</c> property, when set.</summary>
    public double? VibrationSampleRateHz { get; init; }

    /// <summary>The twin's container along <c>contains</c>, when known.</summary>
    public string? ParentId { get; init; }

    /// <summary>
    /// Reads the geometry and sample rate from a twin's properties (a JSON object, as stored). A geometry that is
    /// incomplete or not physical (pitch diameter not above ball diameter) is ignored, and the default is used.
    /// </summary>
    public static SimulatedTwin FromProperties(string twinId, string modelId, string? propertiesJson, string? parentId = null)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var twin = new SimulatedTwin(new TwinId(twinId), modelId) { ParentId = parentId };
        if (string.IsNullOrWhiteSpace(propertiesJson))
        {
            return twin;
        }

        using var document = JsonDocument.Parse(propertiesJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return twin;
        }

        BearingGeometry? geometry = null;
        if (Number(root, "balls") is { } balls && Number(root, "ballDiameterMm") is { } ball && Number(root, "pitchDiameterMm") is { } pitch
            && balls >= 1 && balls == Math.Floor(balls) && ball > 0 && pitch > ball)
        {
            geometry = new BearingGeometry((int)balls, ball, pitch, Number(root, "contactAngleDeg") ?? 0);
        }

        var rate = Number(root, "vibrationSampleRateHz") is { } fs && fs > 0 ? fs : (double?)null;
        return twin with { Bearing = geometry, VibrationSampleRateHz = rate };
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && double.IsFinite(number) ? number : null;
}
