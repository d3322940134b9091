namespace TwinCluster.Analytics;

/// <summary>One spectral line used as evidence: where it was expected, where it was found, how strong it stands out.</summary>
/// <param name="Label">What the line is, e.g. "BPFI x2", "BPFI x1 - 1x".</param>
/// <param name="ExpectedHz">Frequency predicted from kinematics and the shaft speed.</param>
/// <param name="FoundHz">Frequency of the peak found within the speed tolerance.</param>
/// <param name="ProminenceDb">Peak over the local median floor of the spectrum, in dB.</param>
/// <param name="Spectrum">"envelope" or "velocity".</param>
public sealed record FaultEvidence(string Label, double ExpectedHz, double FoundHz, double ProminenceDb, string Spectrum);
