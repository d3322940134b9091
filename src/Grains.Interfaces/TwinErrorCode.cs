namespace TwinCluster.Grains.Interfaces;

/// <summary>Why a twin operation was refused. Stable names: the CLI and API print them.</summary>
public enum TwinErrorCode
{
    /// <summary>The input is malformed or fails validation against the model.</summary>
    Invalid = 1,

    /// <summary>The twin, relationship or model does not exist.</summary>
    NotFound = 2,

    /// <summary>A twin or relationship with that id already exists.</summary>
    AlreadyExists = 3,

    /// <summary>The If-Match ETag does not match the current one.</summary>
    PreconditionFailed = 4,

    /// <summary>The operation conflicts with current state (e.g. deleting a twin that still has relationships).</summary>
    Conflict = 5,
}
