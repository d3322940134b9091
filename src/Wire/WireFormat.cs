namespace TwinCluster.Wire;

/// <summary>The payload encoding a message arrived in.</summary>
public enum WireFormat
{
    /// <summary>JSON (<see cref="ContentTypes.Json"/>).</summary>
    Json,

    /// <summary>The little-endian binary block (<see cref="ContentTypes.BinaryBlock"/>).</summary>
    Binary,
}
