namespace TwinCluster.Analytics;

/// <summary>A frequency band in Hz.</summary>
public readonly record struct FrequencyBand(double LowHz, double HighHz)
{
    /// <summary>Band width in Hz.</summary>
    public double Width => HighHz - LowHz;
}
