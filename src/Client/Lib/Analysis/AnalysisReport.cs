using System.Text.Json.Serialization;

namespace TwinCluster.Client.Analysis;

/// <summary>The result of <c>twin analyze</c> as written with --json.</summary>
/// <param name="File">The capture analysed.</param>
/// <param name="Channel">The channel analysed.</param>
/// <param name="Diagnosis">normal, inner-race, outer-race, ball, cage, imbalance, misalignment or unknown.</param>
/// <param name="Confidence">In [0, 1].</param>
/// <param name="FaultFrequenciesHz">Bearing defect frequencies at the given speed.</param>
/// <param name="Indicators">Indicator values by name (g, mm/s).</param>
/// <param name="Zone">Severity zone A–D.</param>
/// <param name="HealthIndex">1 healthy, 0.5 alarm, 0 end of life.</param>
/// <param name="Evidence">Spectral lines behind the diagnosis.</param>
/// <param name="Scores">Score per candidate condition.</param>
/// <param name="DemodulationBandHz">The envelope band the diagnosis rests on, chosen for this capture: <c>lowHz</c>, <c>highHz</c> (empty without a bearing).</param>
public sealed record AnalysisReport(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("diagnosis")] string Diagnosis,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("faultFrequenciesHz")] IReadOnlyDictionary<string, double> FaultFrequenciesHz,
    [property: JsonPropertyName("indicators")] IReadOnlyDictionary<string, double> Indicators,
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("healthIndex")] double HealthIndex,
    [property: JsonPropertyName("evidence")] IReadOnlyList<EvidenceLine> Evidence,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, double> Scores,
    [property: JsonPropertyName("demodulationBandHz")] IReadOnlyDictionary<string, double> DemodulationBandHz);
