namespace TwinCluster.Silo.Hosting;

/// <summary>The mode and settings the silo started with.</summary>
public sealed record SiloDescription(SiloMode Mode, TwinSiloOptions Options);
