namespace TwinCluster.Analytics.Prognostics;

/// <summary>A remaining-useful-life prediction with an uncertainty band.</summary>
/// <param name="RulSeconds">Best estimate of the time left from the last observation.</param>
/// <param name="LowerSeconds">Lower end of the band (earliest plausible end of life).</param>
/// <param name="UpperSeconds">Upper end of the band.</param>
/// <param name="ThresholdCrossingTime">Time (same clock as the input) at which the alarm threshold is predicted to be crossed.</param>
/// <param name="HealthIndex">Health index at the last observation, in [0, 1] (1 healthy).</param>
/// <param name="Method">How the estimate was made: "trend", "no-trend", "fleet" or "crossed".</param>
/// <param name="State">
/// What the history shows: <see cref="RulStates.NoDegradationSeen"/> (nothing above the machine's own healthy level:
/// the answer is what the fleet, or the horizon, supports for such a machine, not a trend), <see cref="RulStates.Degrading"/>
/// or <see cref="RulStates.Failed"/> (at or past the alarm).
/// </param>
public sealed record RulEstimate(double RulSeconds, double LowerSeconds, double UpperSeconds, double ThresholdCrossingTime, double HealthIndex, string Method,
    string State = RulStates.Degrading)
{
    /// <summary>Width of the band, seconds.</summary>
    public double BandSeconds => UpperSeconds - LowerSeconds;
}

/// <summary>Values of <see cref="RulEstimate.State"/>.</summary>
public static class RulStates
{
    /// <summary>No degradation visible in the history.</summary>
    public const string NoDegradationSeen = "no-degradation-seen";

    /// <summary>Degradation visible and not yet at the alarm.</summary>
    public const string Degrading = "degrading";

    /// <summary>At or past the alarm.</summary>
    public const string Failed = "failed";
}
