namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// What a principal may do. <c>reader</c> reads, queries and watches; <c>operator</c> also acknowledges alerts,
/// patches properties and sends commands; <c>modeler</c> also uploads models and imports; <c>admin</c> does
/// everything, tokens and devices included.
/// </summary>
[GenerateSerializer, Alias("tc.SecurityRole")]
public enum SecurityRole
{
    /// <summary>Read, query, watch.</summary>
    Reader = 1,

    /// <summary>Reader, plus acknowledge alerts, patch properties, send commands.</summary>
    Operator = 2,

    /// <summary>Reader, plus models and import.</summary>
    Modeler = 3,

    /// <summary>Everything, tokens and devices included.</summary>
    Admin = 4,
}
