using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>A refused twin operation. Nothing was changed when this is thrown.</summary>
[GenerateSerializer, Alias("tc.TwinOperationException")]
public sealed class TwinOperationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TwinOperationException(TwinErrorCode code, string message, ImmutableArray<string> details = default)
        : base(message)
    {
        Code = code;
        Details = details.IsDefault ? [] : details;
    }

    /// <summary>Why it was refused.</summary>
    [Id(0)]
    public TwinErrorCode Code { get; }

    /// <summary>Itemised reasons, e.g. one per invalid property.</summary>
    [Id(1)]
    public ImmutableArray<string> Details { get; }

    /// <summary>Creates the exception for a missing twin.</summary>
    public static TwinOperationException TwinNotFound(string twinId) =>
        new(TwinErrorCode.NotFound, $"twin '{twinId}' does not exist");
}
