using System.Collections.Immutable;

namespace TwinCluster.Storage.History;

/// <summary>The names under which the features of an analysed window are kept.</summary>
public static class HistoryFeatureNames
{
    /// <summary>Acceleration RMS, g.</summary>
    public const string AccelerationRms = "accelerationRms";

    /// <summary>Largest absolute acceleration, g.</summary>
    public const string Peak = "peak";

    /// <summary>Peak over RMS.</summary>
    public const string CrestFactor = "crestFactor";

    /// <summary>Kurtosis of the acceleration.</summary>
    public const string Kurtosis = "kurtosis";

    /// <summary>Velocity RMS over the severity band, mm/s.</summary>
    public const string VelocityRms = "velocityRms";

    /// <summary>Velocity of the 1x line, mm/s.</summary>
    public const string Velocity1X = "velocity1x";

    /// <summary>Velocity of the 2x line, mm/s.</summary>
    public const string Velocity2X = "velocity2x";

    /// <summary>Kurtosis of the squared envelope.</summary>
    public const string EnvelopeKurtosis = "envelopeKurtosis";

    /// <summary>The smoothed health index of the component after the window (1 healthy, 0.5 alarm).</summary>
    public const string Health = "health";

    /// <summary>The health of this window alone.</summary>
    public const string WindowHealth = "windowHealth";

    /// <summary>The diagnosis as the number of its fault kind (0 Normal, 1 InnerRace, 2 OuterRace, 3 Ball, 4 Cage, 5 Imbalance, 6 Misalignment, 7 Unknown).</summary>
    public const string Diagnosis = "diagnosis";

    /// <summary>Confidence of the diagnosis.</summary>
    public const string Confidence = "confidence";

    /// <summary>Remaining life to the alarm level, seconds (NaN before a trend).</summary>
    public const string Rul = "rulSeconds";

    /// <summary>Earliest end of the RUL band, seconds.</summary>
    public const string RulLower = "rulLowerSeconds";

    /// <summary>Latest end of the RUL band, seconds.</summary>
    public const string RulUpper = "rulUpperSeconds";

    /// <summary>Shaft speed the window was analysed at, Hz.</summary>
    public const string ShaftHz = "shaftHz";

    /// <summary>Prefix of the acceleration RMS per energy band: band1, band2, ...</summary>
    public const string BandPrefix = "band";

    /// <summary>Prefix of the defect-line score per fault kind: scoreOuterRace, scoreInnerRace, ...</summary>
    public const string ScorePrefix = "score";

    /// <summary>The fixed names (bands and scores come in addition).</summary>
    public static readonly ImmutableArray<string> Fixed =
    [
        AccelerationRms, Peak, CrestFactor, Kurtosis, VelocityRms, Velocity1X, Velocity2X, EnvelopeKurtosis,
        Health, WindowHealth, Diagnosis, Confidence, Rul, RulLower, RulUpper, ShaftHz,
    ];

    /// <summary>True for a name a window may carry even if none has been stored yet.</summary>
    public static bool IsFeature(string name) =>
        Fixed.Contains(name)
        || (name.StartsWith(BandPrefix, StringComparison.Ordinal) && name.Length > BandPrefix.Length && name[BandPrefix.Length..].All(char.IsAsciiDigit))
        || (name.StartsWith(ScorePrefix, StringComparison.Ordinal) && name.Length > ScorePrefix.Length && char.IsAsciiLetterUpper(name[ScorePrefix.Length]));
}
