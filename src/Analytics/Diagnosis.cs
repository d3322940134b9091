using System.Collections.Immutable;

namespace TwinCluster.Analytics;

/// <summary>A diagnosis with its confidence in [0, 1] and the spectral evidence behind it.</summary>
/// <param name="Fault">The condition found.</param>
/// <param name="Confidence">How sure, in [0, 1].</param>
/// <param name="Evidence">Lines supporting the diagnosis, strongest first.</param>
/// <param name="Scores">Score per candidate condition (harmonic-sum prominence in dB), for inspection.</param>
public sealed record Diagnosis(FaultKind Fault, double Confidence, ImmutableArray<FaultEvidence> Evidence, ImmutableDictionary<FaultKind, double> Scores)
{
    /// <summary>
    /// The demodulation band whose envelope spectrum the diagnosis rests on: the band where the reported defect (or,
    /// without one, the best-scoring defect) stands highest, chosen per window among the most impulsive bands; default
    /// when no bearing was examined.
    /// </summary>
    public FrequencyBand Band { get; init; }
}
