using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>Bulk import worker (a stateless worker, so many run at once). Creates a batch of twins in parallel.</summary>
[Alias("tc.IImportGrain")]
public interface IImportGrain : IGrainWithIntegerKey
{
    /// <summary>Creates the twins and updates the index in one batch per shard; one result per item.</summary>
    [Alias("ImportTwins")]
    Task<ImmutableArray<ImportItemResult>> ImportTwins(ImmutableArray<TwinImportItem> items);
}
