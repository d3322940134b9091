namespace TwinCluster.Modeling;

/// <summary>One JSON text submitted to the parser; <paramref name="Name"/> (a file name or "upload[3]") appears in errors.</summary>
public sealed record ModelSource(string Name, string Json);
