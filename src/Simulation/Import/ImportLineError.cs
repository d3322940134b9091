namespace TwinCluster.Simulation.Import;

/// <summary>A line that did not go in, and why.</summary>
public sealed record ImportLineError(long Line, string Message);
