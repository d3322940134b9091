namespace TwinCluster.Modeling;

/// <summary>Limits applied while reading model documents.</summary>
public sealed class ModelParserOptions
{
    /// <summary>Maximum JSON nesting depth of one source; deeper input is rejected with an error, not a stack overflow.</summary>
    public int MaxJsonDepth { get; init; } = 128;

    /// <summary>Maximum size in characters of one source.</summary>
    public int MaxSourceLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Maximum number of errors reported before parsing stops adding more.</summary>
    public int MaxErrors { get; init; } = 1000;
}
