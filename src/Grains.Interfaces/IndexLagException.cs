namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The write was stored, but the query index could not be updated yet; queries may miss it until the twin's next
/// activation repairs the entry. Do not repeat the write blindly: read the twin first.
/// </summary>
[GenerateSerializer, Alias("tc.IndexLagException")]
public sealed class IndexLagException(string message) : Exception(message);
