namespace TwinCluster.Modeling;

/// <summary>Outcome of <see cref="ModelParser.Parse(IEnumerable{ModelSource}, ModelSet)"/>: either a model set or the list of errors.</summary>
public sealed class ModelParseResult
{
    internal ModelParseResult(IReadOnlyList<ModelError> errors, ModelSet? models, IReadOnlyList<string>? unresolved = null)
    {
        Errors = errors;
        Models = errors.Count == 0 ? models : null;
        UnresolvedReferences = unresolved ?? [];
    }

    /// <summary>True when no error was found.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Every rule violation found, in document order.</summary>
    public IReadOnlyList<ModelError> Errors { get; }

    /// <summary>DTMIs that were referenced (extends, component or complex schema) but not defined; a resolver can supply them and parse again.</summary>
    public IReadOnlyList<string> UnresolvedReferences { get; }

    /// <summary>The parsed models (including the known ones passed in); null when invalid.</summary>
    public ModelSet? Models { get; }
}
