using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using TwinCluster.Analytics;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// The condition of a monitored component after its latest analysed window. Named ComponentCondition rather than
/// Condition because the namespace TwinCluster.Grains.Condition would hide a type of that name from the grains.
/// </summary>
/// <param name="HealthIndex">1 healthy, 0.5 alarm, 0 failure: the median of the last windows of the worst channel.</param>
/// <param name="Fault">Diagnosis: the fault seen in most of the last windows.</param>
/// <param name="Confidence">Confidence of that diagnosis in [0, 1].</param>
/// <param name="Zone">Severity zone of the velocity RMS.</param>
/// <param name="VelocityRmsMmPerS">Velocity RMS of the latest window, mm/s.</param>
/// <param name="Evidence">The strongest lines behind the diagnosis (at most three), strongest first.</param>
/// <param name="Harmonics">How many harmonics of the defect frequency stand out (6 dB or more).</param>
/// <param name="Rul">Remaining life to the alarm level; null until the health history shows a trend.</param>
/// <param name="LastAnalysisUtc">Signal time of the end of the latest analysed window.</param>
/// <param name="WindowsAnalysed">Windows analysed since the monitor started (carried over a restore).</param>
/// <param name="Alert">Alert state after this analysis.</param>
/// <param name="Channel">The vibration channel this condition comes from.</param>
/// <param name="ShaftHz">Shaft speed the window was analysed at.</param>
[GenerateSerializer, Immutable, Alias("tc.ComponentCondition")]
public sealed record ComponentCondition(
    [property: Id(0)] double HealthIndex,
    [property: Id(1)] FaultKind Fault,
    [property: Id(2)] double Confidence,
    [property: Id(3)] SeverityZone Zone,
    [property: Id(4)] double VelocityRmsMmPerS,
    [property: Id(5)] ImmutableArray<ConditionEvidence> Evidence,
    [property: Id(6)] int Harmonics,
    [property: Id(7)] RemainingLife? Rul,
    [property: Id(8)] DateTime LastAnalysisUtc,
    [property: Id(9)] long WindowsAnalysed,
    [property: Id(10)] AlertState Alert,
    [property: Id(11)] string Channel,
    [property: Id(12)] double ShaftHz)
{
    /// <summary>
    /// One sentence for a person, e.g. "Alarm: outer-race defect (confidence 0.95), BPFO line +14 dB with 3 harmonics,
    /// velocity 4.1 mm/s, zone C, health 0.48, RUL 19 days ±6".
    /// </summary>
    public string Explain() => $"{Alert}: {Describe()}";

    /// <summary><see cref="Explain"/> without the alert state: what is wrong, how strongly, and how long it has left.</summary>
    public string Describe()
    {
        var ci = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(Describe(Fault));
        if (Fault != FaultKind.Normal)
        {
            text.Append(ci, $" (confidence {Confidence:0.00})");
        }

        if (IsBearingFault(Fault) && !Evidence.IsDefaultOrEmpty)
        {
            var line = Evidence[0];
            var name = LineName(line.Label);
            text.Append(ci, $", {name} line {line.ProminenceDb:+0;-0} dB with {Harmonics} harmonic{(Harmonics == 1 ? "" : "s")}");
        }

        text.Append(ci, $", velocity {VelocityRmsMmPerS:0.0} mm/s, zone {Zone}, health {HealthIndex:0.00}, ");
        if (Rul is null)
        {
            text.Append("no RUL trend yet");
        }
        else if (Rul.Seconds <= 0)
        {
            text.Append("RUL 0 (the trend has reached the alarm level)");
        }
        else
        {
            var (unit, scale) = UnitFor(Rul.Seconds);
            var half = Math.Max(0, Rul.UpperSeconds - Rul.LowerSeconds) / 2;
            text.Append(ci, $"RUL {Rul.Seconds / scale:0.#} {unit} ±{half / scale:0.#}");
        }

        return text.ToString();
    }

    internal static bool IsBearingFault(FaultKind fault) => fault is FaultKind.OuterRace or FaultKind.InnerRace or FaultKind.Ball or FaultKind.Cage;

    /// <summary>"BPFO x1" → "BPFO", "2xBSF x2 - FTF" → "2xBSF".</summary>
    internal static string LineName(string label)
    {
        var cut = label.IndexOf(" x", StringComparison.Ordinal);
        return cut > 0 ? label[..cut] : label;
    }

    private static string Describe(FaultKind fault) => fault switch
    {
        FaultKind.Normal => "no fault signature",
        FaultKind.OuterRace => "outer-race defect",
        FaultKind.InnerRace => "inner-race defect",
        FaultKind.Ball => "rolling-element defect",
        FaultKind.Cage => "cage defect",
        FaultKind.Imbalance => "imbalance",
        FaultKind.Misalignment => "misalignment",
        _ => "abnormal vibration without a known signature",
    };

    private static (string Unit, double Scale) UnitFor(double seconds) => seconds switch
    {
        >= 2 * 86400 => ("days", 86400),
        >= 2 * 3600 => ("hours", 3600),
        >= 120 => ("minutes", 60),
        _ => ("s", 1),
    };
}
