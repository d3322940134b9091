namespace TwinCluster.Grains.Security;

/// <summary>The kinds of request the roles are defined over.</summary>
public enum SecurityOperation
{
    /// <summary>Read, query, watch.</summary>
    Read,

    /// <summary>Create, patch or delete twins and relationships, send commands.</summary>
    Write,

    /// <summary>Acknowledge alerts.</summary>
    Acknowledge,

    /// <summary>Upload and remove models, import.</summary>
    Model,

    /// <summary>Tokens, devices, the audit log.</summary>
    Admin,
}
