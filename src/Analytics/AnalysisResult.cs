namespace TwinCluster.Analytics;

/// <summary>Everything one call of <see cref="VibrationAnalyzer.Analyze(ReadOnlySpan{double}, double)"/> found.</summary>
/// <param name="ShaftHz">Shaft speed used.</param>
/// <param name="Indicators">Time- and frequency-domain indicators.</param>
/// <param name="FaultFrequencies">Bearing defect frequencies at this speed, when a geometry is configured.</param>
/// <param name="Diagnosis">Condition with confidence and evidence.</param>
/// <param name="Zone">Severity zone of the velocity RMS.</param>
/// <param name="HealthIndex">1 healthy, 0.5 at the alarm (a developed defect or velocity at the C/D limit), 0 at failure; declines with severity.</param>
public sealed record AnalysisResult(
    double ShaftHz,
    VibrationIndicators Indicators,
    FaultFrequencies? FaultFrequencies,
    Diagnosis Diagnosis,
    SeverityZone Zone,
    double HealthIndex);
