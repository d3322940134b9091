namespace TwinCluster.Simulation.Import;

/// <summary>Progress of an import: the phase, and how much of it is done.</summary>
public sealed record ImportProgress(string Phase, long Done, long Total);
