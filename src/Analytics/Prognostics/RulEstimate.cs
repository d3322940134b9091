namespace TwinCluster.Analytics.Prognostics;

/// <summary>A remaining-useful-life prediction with an uncertainty band.</summary>
/// <param name="RulSeconds">Best estimate of the time left from the last observation.</param>
/// <param name="LowerSeconds">Lower end of the band (earliest plausible end of life).</param>
/// <param name="UpperSeconds">Upper end of the band.</param>
/// <param name="ThresholdCrossingTime">Time (same clock as the input) at which the alarm threshold is predicted to be crossed.</param>
/// <param name="HealthIndex">Health index at the last observation, in [0, 1] (1 healthy).</param>
/// <param name="Method">How the estimate was made: "trend", "no-trend", "fleet" or "crossed".</param>
public sealed record RulEstimate(double RulSeconds, double LowerSeconds, double UpperSeconds, double ThresholdCrossingTime, double HealthIndex, string Method);
