using TwinCluster.Wire;

namespace TwinCluster.Ingress.Admission;

/// <summary>How a <c>seq</c> relates to the last one applied for its twin.</summary>
public enum SequenceVerdict
{
    /// <summary>The next one expected (or the first seen): apply it.</summary>
    New,

    /// <summary>At or below the last applied: already applied, drop it.</summary>
    Duplicate,

    /// <summary>Ahead of the next expected: apply it, and fetch the missing range from the log.</summary>
    Gap,
}
