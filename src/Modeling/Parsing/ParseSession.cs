using System.Text.Json;

namespace TwinCluster.Modeling.Parsing;

/// <summary>State of one <see cref="ModelParser.Parse(IEnumerable{ModelSource}, ModelSet)"/> call: errors, identifiers, interfaces, unresolved references.</summary>
internal sealed class ParseSession(ModelParserOptions options, ModelSet? known)
{
    internal enum RefKind
    {
        Schema,
        Interface,
        Element,
    }

    internal sealed record PendingRef(string Dtmi, string Path, string? Source, RefKind Kind, int Version, Action<object> Assign, Type? Expected = null, object? Document = null);

    public ModelParserOptions Options { get; } = options;

    public ModelSet? Known { get; } = known;

    public List<ModelError> Errors { get; } = [];

    public Dictionary<string, (object Element, string Path, string? Source)> Ids { get; } = new(StringComparer.Ordinal);

    public List<InterfaceModel> Interfaces { get; } = [];

    /// <summary>The DTMI of the top-level Interface of each document.</summary>
    public Dictionary<object, string> DocumentRootIds { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The top-level document each identified element was defined in.</summary>
    public Dictionary<object, object> Owners { get; } = new(ReferenceEqualityComparer.Instance);

    public List<PendingRef> Refs { get; } = [];

    /// <summary>Referenced DTMIs that no source defined, in first-seen order.</summary>
    public List<string> Unresolved { get; } = [];

    /// <summary>Elements whose structure is checked after linking (v2 properties, semantic types, enums).</summary>
    public List<Action> DeferredChecks { get; } = [];

    public string? Source { get; set; }

    public bool Full => Errors.Count >= Options.MaxErrors;

    public void Error(string code, string path, string message)
    {
        if (Errors.Count < Options.MaxErrors)
        {
            Errors.Add(new ModelError(code, message, path, Source));
        }
    }

    public void ErrorAt(string code, string path, string? source, string message)
    {
        if (Errors.Count < Options.MaxErrors)
        {
            Errors.Add(new ModelError(code, message, path, source));
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
