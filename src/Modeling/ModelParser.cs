using TwinCluster.Modeling.Parsing;

namespace TwinCluster.Modeling;

/// <summary>Parses and validates DTDL v2/v3 documents into a <see cref="ModelSet"/>. Thread-safe; holds no state between calls.</summary>
public sealed class ModelParser
{
    private readonly ModelParserOptions _options;

    /// <summary>Creates a parser with the given limits (defaults when null).</summary>
    public ModelParser(ModelParserOptions? options = null) => _options = options ?? new ModelParserOptions();

    /// <summary>Parses the sources as one model set; references may resolve to each other or to <paramref name="known"/>.</summary>
    /// <param name="sources">The documents to parse; each is one JSON object or an array of them.</param>
    /// <param name="known">Models accepted earlier, used to resolve references (extends, component schemas, schemas).</param>
    public ModelParseResult Parse(IEnumerable<ModelSource> sources, ModelSet? known = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var session = new ParseSession(_options, known);
        var reader = new Reader(session);
        foreach (var source in sources)
        {
            ArgumentNullException.ThrowIfNull(source);
            reader.ReadSource(source);
        }

        session.Source = null;
        if (session.Errors.Count == 0)
        {
            new Linker(session).Link();
        }

        if (session.Errors.Count > 0)
        {
            return new ModelParseResult(session.Errors, null, session.Unresolved);
        }

        var all = new Dictionary<string, InterfaceModel>(StringComparer.Ordinal);
        if (known is not null)
        {
            foreach (var (id, model) in known.Interfaces)
            {
                all[id] = model;
            }
        }

        foreach (var model in session.Interfaces)
        {
            all[model.Id] = model;
        }

        return new ModelParseResult([], new ModelSet(all));
    }

    /// <summary>Parses one JSON text (a document or an array of documents).</summary>
    public ModelParseResult Parse(string json, string name = "model", ModelSet? known = null) => Parse([new ModelSource(name, json)], known);

    /// <summary>
    /// Parses the documents of one model's closure (the model and everything it depends on, as a model repository
    /// stores them) and returns that model; null when the documents do not parse (see <paramref name="result"/>) or do
    /// not define it.
    /// </summary>
    public InterfaceModel? ParseClosure(string modelId, IEnumerable<string> documents, out ModelParseResult result)
    {
        ArgumentNullException.ThrowIfNull(documents);
        result = Parse(documents.Select((json, i) => new ModelSource($"{modelId}#{i}", json)));
        return result.IsValid ? result.Models?.Find(modelId) : null;
    }
}
