namespace TwinCluster.Client;

/// <summary>No silo of the cluster could be reached.</summary>
public sealed class TwinConnectionException(string message, Exception inner) : Exception(message, inner);
