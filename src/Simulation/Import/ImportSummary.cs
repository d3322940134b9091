using System.Collections.Immutable;

namespace TwinCluster.Simulation.Import;

/// <summary>What an import did. Lines not listed in <see cref="Errors"/> went in.</summary>
public sealed record ImportSummary(
    long Lines,
    int ModelsUploaded,
    int TwinsCreated,
    int RelationshipsCreated,
    ImmutableArray<ImportLineError> Errors,
    TimeSpan Elapsed)
{
    /// <summary>True when every line went in.</summary>
    public bool Succeeded => Errors.IsEmpty;

    /// <summary>Twins created per second.</summary>
    public double TwinsPerSecond => Elapsed.TotalSeconds > 0 ? TwinsCreated / Elapsed.TotalSeconds : 0;
}
