namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Runs queries in the Azure Digital Twins query language over the cluster's twins and relationships (a stateless
/// worker). A query sees every write acknowledged before it started. A query outside the language, or a continuation
/// token this cluster did not issue for it, is refused with <see cref="TwinErrorCode.Invalid"/> and a message that
/// says where it failed.
/// </summary>
[Alias("tc.IDigitalTwinsQueryGrain")]
public interface IDigitalTwinsQueryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// One page of results. <paramref name="continuationToken"/> comes from the previous page (the query text may then
    /// be empty); <paramref name="maxItemsPerPage"/> of 0 or less means the default page size.
    /// </summary>
    [Alias("Run")]
    Task<DigitalTwinsQueryPage> Run(string query, string? continuationToken, int maxItemsPerPage);

    /// <summary>
    /// As <see cref="Run"/>, for a principal that may read only <paramref name="readable"/>: a row is returned (and
    /// counted) only when every twin in it, and both ends of every relationship in it, are readable.
    /// </summary>
    [Alias("RunWithin")]
    Task<DigitalTwinsQueryPage> RunWithin(string query, string? continuationToken, int maxItemsPerPage, System.Collections.Immutable.ImmutableHashSet<string> readable);
}
