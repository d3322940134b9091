namespace TwinCluster.Simulation.Import;

/// <summary>A twin line of an import file.</summary>
internal sealed record TwinLine(long Line, string Id, string ModelId, string PropertiesJson);

/// <summary>A relationship line of an import file.</summary>
internal sealed record RelationshipLine(long Line, string Source, string Id, string Name, string Target, string PropertiesJson);

/// <summary>A model line of an import file.</summary>
internal sealed record ModelLine(long Line, string Document);
