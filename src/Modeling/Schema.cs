namespace TwinCluster.Modeling;

/// <summary>Base of all DTDL schemas: primitive, Enum, Object, Map and Array.</summary>
public abstract class Schema : ModelElement
{
    /// <summary>Short display form, e.g. "double" or "Map&lt;string, long&gt;".</summary>
    public abstract string Describe();

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
