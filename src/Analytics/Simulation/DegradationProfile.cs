namespace TwinCluster.Analytics.Simulation;

/// <summary>
/// Fault severity over time for a run-to-failure story: a plateau at <see cref="HealthySeverity"/> until
/// <see cref="OnsetSeconds"/>, then exponential growth from <see cref="OnsetSeverity"/> to 1 at
/// <see cref="FailureSeconds"/>, and 1 after. Exponential damage growth is what <c>RulEstimator</c> fits.
/// </summary>
/// <param name="OnsetSeconds">Time at which the defect starts to grow.</param>
/// <param name="FailureSeconds">Time at which severity reaches 1 (end of life).</param>
/// <param name="OnsetSeverity">Severity just after onset, in (0, 1): sets how sharply growth accelerates towards failure.</param>
/// <param name="HealthySeverity">Severity on the healthy plateau, in [0, <paramref name="OnsetSeverity"/>].</param>
public sealed record DegradationProfile(double OnsetSeconds, double FailureSeconds, double OnsetSeverity = 0.05, double HealthySeverity = 0)
{
    /// <summary>A component that never degrades.</summary>
    public static DegradationProfile Healthy { get; } = new(double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>Growth rate of severity after onset, per second.</summary>
    public double GrowthRatePerSecond => double.IsInfinity(OnsetSeconds) ? 0 : Math.Log(1 / OnsetSeverity) / (FailureSeconds - OnsetSeconds);

    /// <summary>Severity in [0, 1] at <paramref name="timeSeconds"/>.</summary>
    public double SeverityAt(double timeSeconds)
    {
        if (!(timeSeconds >= OnsetSeconds))
        {
            return HealthySeverity;
        }

        if (timeSeconds >= FailureSeconds)
        {
            return 1;
        }

        return Math.Max(HealthySeverity, OnsetSeverity * Math.Exp(GrowthRatePerSecond * (timeSeconds - OnsetSeconds)));
    }

    /// <summary>Throws when the times or severities are inconsistent.</summary>
    public void Validate()
    {
        if (double.IsNaN(OnsetSeconds) || double.IsNaN(FailureSeconds) || FailureSeconds < OnsetSeconds
            || (!double.IsInfinity(OnsetSeconds) && !(FailureSeconds > OnsetSeconds)))
        {
            throw new ArgumentException($"Degradation needs OnsetSeconds < FailureSeconds (got {OnsetSeconds}, {FailureSeconds}).");
        }

        if (!(OnsetSeverity > 0 && OnsetSeverity < 1) || !(HealthySeverity >= 0 && HealthySeverity <= OnsetSeverity))
        {
            throw new ArgumentException($"Degradation needs 0 <= HealthySeverity <= OnsetSeverity < 1 (got {HealthySeverity}, {OnsetSeverity}).");
        }
    }
}
