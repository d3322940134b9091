namespace TwinCluster.Modeling.Parsing;

/// <summary>Placeholder for a schema given by DTMI until references are resolved.</summary>
internal sealed class SchemaReference : Schema
{
    public SchemaReference(string target) => Id = target;

    public override string Describe() => Id;
}
