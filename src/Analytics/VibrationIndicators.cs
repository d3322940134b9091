using System.Collections.Immutable;

namespace TwinCluster.Analytics;

/// <summary>Condition indicators of one analysed window. Acceleration in g, velocity in mm/s.</summary>
/// <param name="RmsAcceleration">RMS of the acceleration (mean removed).</param>
/// <param name="PeakAcceleration">Largest absolute acceleration (mean removed).</param>
/// <param name="CrestFactor">Peak over RMS.</param>
/// <param name="Kurtosis">Normalised fourth moment (3 for a Gaussian signal).</param>
/// <param name="RmsVelocity">Velocity RMS in mm/s over the severity band (integrated in the frequency domain).</param>
/// <param name="Velocity1X">Velocity amplitude (RMS) of the 1× shaft line, mm/s.</param>
/// <param name="Velocity2X">Velocity amplitude (RMS) of the 2× shaft line, mm/s.</param>
/// <param name="EnvelopeKurtosis">Kurtosis of the squared envelope in the band chosen by spectral kurtosis.</param>
/// <param name="EnvelopeBand">The band chosen by spectral kurtosis.</param>
/// <param name="BandRms">Acceleration RMS per band of <see cref="BandEdgesHz"/>.</param>
/// <param name="BandEdgesHz">Edges of the energy bands (n + 1 values).</param>
public sealed record VibrationIndicators(
    double RmsAcceleration,
    double PeakAcceleration,
    double CrestFactor,
    double Kurtosis,
    double RmsVelocity,
    double Velocity1X,
    double Velocity2X,
    double EnvelopeKurtosis,
    FrequencyBand EnvelopeBand,
    ImmutableArray<double> BandRms,
    ImmutableArray<double> BandEdgesHz);
