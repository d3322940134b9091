namespace TwinCluster.Storage;

/// <summary>What <see cref="PostgresMigrator.MigrateAsync"/> did.</summary>
/// <param name="Applied">Scripts applied by this call, in order (e.g. <c>0002_orleans_clustering</c>).</param>
/// <param name="AlreadyApplied">Scripts found already applied, with a matching checksum.</param>
public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied)
{
    /// <summary>True when this call changed the schema.</summary>
    public bool ChangedSchema => Applied.Count > 0;
}
