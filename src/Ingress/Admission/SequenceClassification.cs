using TwinCluster.Wire;

namespace TwinCluster.Ingress.Admission;

/// <summary>
/// The verdict on one <c>seq</c>; for <see cref="SequenceVerdict.Gap"/>, the missing range
/// <see cref="MissingFrom"/>..<see cref="MissingTo"/> (both inclusive); otherwise both are 0.
/// </summary>
public readonly record struct SequenceClassification(SequenceVerdict Verdict, long MissingFrom = 0, long MissingTo = 0)
{
    /// <summary>How many sequence numbers are missing (0 unless a gap).</summary>
    public long MissingCount => Verdict == SequenceVerdict.Gap ? MissingTo - MissingFrom + 1 : 0;
}
