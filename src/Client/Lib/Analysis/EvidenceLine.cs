using System.Text.Json.Serialization;

namespace TwinCluster.Client.Analysis;

/// <summary>One spectral line of evidence in an <see cref="AnalysisReport"/>.</summary>
/// <param name="Label">What the line is, e.g. "BPFI x2".</param>
/// <param name="ExpectedHz">Frequency from kinematics.</param>
/// <param name="FoundHz">Frequency of the peak found.</param>
/// <param name="ProminenceDb">Peak over the local floor in dB.</param>
/// <param name="Spectrum">envelope or velocity.</param>
public sealed record EvidenceLine(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("expectedHz")] double ExpectedHz,
    [property: JsonPropertyName("foundHz")] double FoundHz,
    [property: JsonPropertyName("prominenceDb")] double ProminenceDb,
    [property: JsonPropertyName("spectrum")] string Spectrum);
