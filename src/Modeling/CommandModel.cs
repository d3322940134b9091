namespace TwinCluster.Modeling;

/// <summary>A DTDL Command with optional request and response.</summary>
public sealed class CommandModel : ContentModel
{
    /// <summary>The request payload, or null.</summary>
    public CommandPayloadModel? Request { get; internal set; }

    /// <summary>The response payload, or null.</summary>
    public CommandPayloadModel? Response { get; internal set; }
}
