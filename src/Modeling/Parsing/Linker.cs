namespace TwinCluster.Modeling.Parsing;

/// <summary>Resolves references between the parsed elements and the known models, then checks the cross-element rules.</summary>
internal sealed class Linker(ParseSession session)
{
    private const int MaxExtendsDepth = 10;
    private const int MaxSchemaDepth = 5;

    private readonly ParseSession _s = session;
    private readonly Dictionary<InterfaceModel, int> _depth = [];
    private readonly HashSet<InterfaceModel> _linking = [];
    private readonly HashSet<string> _unresolvedSeen = new(StringComparer.Ordinal);
    private Dictionary<string, (Schema Schema, string Owner)>? _knownSchemas;
    private readonly Dictionary<object, HashSet<string>> _dependencies = new(ReferenceEqualityComparer.Instance);

    public void Link()
    {
        ResolveReferences();
        var byId = new Dictionary<string, InterfaceModel>(StringComparer.Ordinal);
        foreach (var model in _s.Interfaces)
        {
            byId.TryAdd(model.Id, model);
        }

        foreach (var model in _s.Interfaces)
        {
            LinkInterface(model, byId, 1);
        }

        foreach (var model in _s.Interfaces)
        {
            CheckComponents(model, byId);
        }

        CheckSchemas();
        if (_s.Errors.Count > 0)
        {
            // The remaining checks assume resolved, acyclic, bounded schemas.
            return;
        }

        foreach (var check in _s.DeferredChecks)
        {
            check();
        }
    }

    private (Schema Schema, string Owner)? FindKnownSchema(string id)
    {
        if (_s.Known is null)
        {
            return null;
        }

        if (_knownSchemas is null)
        {
            _knownSchemas = new Dictionary<string, (Schema, string)>(StringComparer.Ordinal);
            foreach (var model in _s.Known.Interfaces.Values)
            {
                foreach (var schema in model.OwnSchemas)
                {
                    _knownSchemas.TryAdd(schema.Id, (schema, model.Id));
                }
            }
        }

        return _knownSchemas.TryGetValue(id, out var found) ? found : null;
    }

    /// <summary>Records that the referring document needs the document (or known interface) defining the target.</summary>
    private void AddDependency(object? document, object target, string? knownOwner)
    {
        if (document is null)
        {
            return;
        }

        string? needed = null;
        if (_s.Owners.TryGetValue(target, out var targetDocument))
        {
            if (!ReferenceEquals(targetDocument, document))
            {
                needed = _s.DocumentRootIds.GetValueOrDefault(targetDocument);
            }
        }
        else
        {
            needed = knownOwner ?? (target as InterfaceModel)?.Id;
        }

        if (needed is null)
        {
            return;
        }

        if (!_dependencies.TryGetValue(document, out var set))
        {
            _dependencies[document] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(needed);
    }

    private void AssignDependencies()
    {
        foreach (var model in _s.Interfaces)
        {
            if (model.Document is not null && _dependencies.TryGetValue(model.Document, out var set))
            {
                model.Dependencies = [.. set.Order(StringComparer.Ordinal)];
            }
        }
    }

    private void ResolveReferences()
    {
        foreach (var r in _s.Refs)
        {
            object? target = _s.Ids.TryGetValue(r.Dtmi, out var found) ? found.Element : null;
            target ??= _s.Known?.Find(r.Dtmi);
            string? knownOwner = null;
            if (target is null && r.Kind == ParseSession.RefKind.Schema && FindKnownSchema(r.Dtmi) is { } knownSchema)
            {
                target = knownSchema.Schema;
                knownOwner = knownSchema.Owner;
            }

            if (target is null)
            {
                if (r.Kind != ParseSession.RefKind.Element && _unresolvedSeen.Add(r.Dtmi))
                {
                    _s.Unresolved.Add(r.Dtmi);
                }

                _s.ErrorAt("reference.unresolved", r.Path, r.Source, r.Kind switch
                {
                    ParseSession.RefKind.Interface => $"Interface '{r.Dtmi}' is referenced but not defined in this model set or the known models.",
                    ParseSession.RefKind.Element => $"Element '{r.Dtmi}' is referenced but not defined in this model set.",
                    _ => $"Schema '{r.Dtmi}' is referenced but not defined in this model set or the known models.",
                });
                continue;
            }

            var ok = r.Kind switch
            {
                ParseSession.RefKind.Interface => target is InterfaceModel,
                ParseSession.RefKind.Element => r.Expected!.IsInstanceOfType(target),
                _ => target is ArraySchema or EnumSchema or MapSchema or ObjectSchema,
            };
            if (!ok)
            {
                _s.ErrorAt("reference.type", r.Path, r.Source, r.Kind switch
                {
                    ParseSession.RefKind.Interface => $"'{r.Dtmi}' is not an Interface.",
                    ParseSession.RefKind.Element => $"'{r.Dtmi}' is not an element of the expected kind ({r.Expected!.Name.Replace("Model", string.Empty, StringComparison.Ordinal)}).",
                    _ => $"'{r.Dtmi}' is not a complex schema (Array, Enum, Map or Object).",
                });
                continue;
            }

            if (r.Kind == ParseSession.RefKind.Element && (!_s.Owners.TryGetValue(target, out var document) || !ReferenceEquals(document, r.Document)))
            {
                _s.ErrorAt("reference.scope", r.Path, r.Source, $"'{r.Dtmi}' is defined in another document; only Interfaces and schemas may be referenced across documents.");
                continue;
            }

            r.Assign(target);
            if (r.Kind != ParseSession.RefKind.Element)
            {
                AddDependency(r.Document, target, knownOwner);
            }
        }

        AssignDependencies();
    }

    private InterfaceModel? Lookup(string id, Dictionary<string, InterfaceModel> byId) =>
        byId.TryGetValue(id, out var m) ? m : _s.Known?.Find(id);

    /// <summary>Computes bases and inherited contents; returns the extends depth (1 for no bases).</summary>
    private int LinkInterface(InterfaceModel model, Dictionary<string, InterfaceModel> byId, int level)
    {
        if (_depth.TryGetValue(model, out var known))
        {
            return known;
        }

        if (!byId.TryGetValue(model.Id, out var own) || !ReferenceEquals(own, model))
        {
            // A known model, linked when it was accepted.
            return KnownDepth(model, 0);
        }

        if (level > MaxExtendsDepth + 2)
        {
            // Deep enough to be rejected by the caller; stop here so long chains cannot exhaust the stack.
            return MaxExtendsDepth + 2;
        }

        if (!_linking.Add(model))
        {
            _s.ErrorAt("extends.cycle", model.Path, model.SourceName, $"Interface '{model.Id}' extends itself (through a cycle of extends).");
            return MaxExtendsDepth + 100;
        }

        var depth = 1;
        var allBases = new List<string>();
        var baseSet = new HashSet<string>(StringComparer.Ordinal);
        var contents = new Dictionary<string, ContentModel>(StringComparer.Ordinal);
        foreach (var baseId in model.Extends)
        {
            var b = Lookup(baseId, byId);
            if (b is null)
            {
                continue;
            }

            var d = LinkInterface(b, byId, level + 1);
            depth = Math.Max(depth, d + 1);
            if (baseSet.Add(b.Id))
            {
                allBases.Add(b.Id);
            }

            foreach (var id in b.AllBases)
            {
                if (baseSet.Add(id))
                {
                    allBases.Add(id);
                }
            }

            foreach (var (name, content) in b.Contents)
            {
                if (contents.TryGetValue(name, out var existing))
                {
                    if (!ReferenceEquals(existing, content))
                    {
                        _s.ErrorAt("name.duplicate", model.Path, model.SourceName, $"Interface '{model.Id}' inherits two contents named '{name}' (from '{existing.DefinedIn}' and '{content.DefinedIn}').");
                    }

                    continue;
                }

                contents[name] = content;
            }
        }

        if (baseSet.Contains(model.Id) && depth <= MaxExtendsDepth + 1)
        {
            _s.ErrorAt("extends.cycle", model.Path, model.SourceName, $"Interface '{model.Id}' extends itself.");
        }

        foreach (var content in model.OwnContents)
        {
            if (contents.TryGetValue(content.Name, out var existing) && !ReferenceEquals(existing, content))
            {
                _s.ErrorAt("name.duplicate", content.Path, content.SourceName, $"Interface '{model.Id}' has a content named '{content.Name}' that is also inherited from '{existing.DefinedIn}'.");
                continue;
            }

            contents[content.Name] = content;
        }

        if (depth - 1 > MaxExtendsDepth && depth < MaxExtendsDepth + 50)
        {
            _s.ErrorAt("extends.depth", model.Path, model.SourceName, $"Interface '{model.Id}' has an extends hierarchy {depth - 1} levels deep; the limit is {MaxExtendsDepth}.");
        }

        if (model.DtdlVersion == 2 && contents.Count > 300)
        {
            _s.ErrorAt("contents.count", model.Path, model.SourceName, $"Interface '{model.Id}' has {contents.Count} contents including inherited ones; DTDL v2 allows at most 300.");
        }

        if (model.DtdlVersion >= 3 && allBases.Count > 1024)
        {
            _s.ErrorAt("extends.count", model.Path, model.SourceName, $"Interface '{model.Id}' has {allBases.Count} Interfaces in its extends hierarchy; the limit is 1024.");
        }

        model.AllBases = allBases;
        model.AllBasesSet = baseSet;
        model.Contents = contents;
        model.Properties = contents.Values.OfType<PropertyModel>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        model.Telemetry = contents.Values.OfType<TelemetryModel>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        model.Relationships = contents.Values.OfType<RelationshipModel>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        model.Components = contents.Values.OfType<ComponentModel>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        model.Commands = contents.Values.OfType<CommandModel>().ToDictionary(c => c.Name, StringComparer.Ordinal);
        _linking.Remove(model);
        _depth[model] = depth;
        return depth;
    }

    private int KnownDepth(InterfaceModel model, int level)
    {
        if (_depth.TryGetValue(model, out var known))
        {
            return known;
        }

        var depth = 1;
        if (level <= MaxExtendsDepth + 2)
        {
            foreach (var baseId in model.Extends)
            {
                if (_s.Known?.Find(baseId) is { } b)
                {
                    depth = Math.Max(depth, KnownDepth(b, level + 1) + 1);
                }
            }
        }

        _depth[model] = depth;
        return depth;
    }

    private void CheckComponents(InterfaceModel model, Dictionary<string, InterfaceModel> byId)
    {
        foreach (var component in model.OwnContents.OfType<ComponentModel>())
        {
            var schema = Lookup(component.SchemaId, byId);
            if (schema is not null && schema.Components.Count > 0)
            {
                _s.ErrorAt("component.nested", component.Path, component.SourceName,
                    $"Component '{component.Name}' of '{model.Id}' uses Interface '{schema.Id}', which itself has Components; Components may not nest.");
            }
        }
    }

    private void CheckSchemas()
    {
        var depths = new Dictionary<Schema, int>();
        var stack = new HashSet<Schema>();
        var reported = new HashSet<Schema>();
        foreach (var element in _s.Ids.Values.Select(v => v.Element).OfType<Schema>().Concat(AllInlineRoots()))
        {
            Depth(element, depths, stack, reported);
        }
    }

    private IEnumerable<Schema> AllInlineRoots()
    {
        foreach (var model in _s.Interfaces)
        {
            foreach (var content in model.OwnContents)
            {
                switch (content)
                {
                    case PropertyModel p:
                        yield return p.Schema;
                        break;
                    case TelemetryModel t:
                        yield return t.Schema;
                        break;
                    case CommandModel c:
                        if (c.Request is not null)
                        {
                            yield return c.Request.Schema;
                        }

                        if (c.Response is not null)
                        {
                            yield return c.Response.Schema;
                        }

                        break;
                    case RelationshipModel r:
                        foreach (var p in r.Properties.Values)
                        {
                            yield return p.Schema;
                        }

                        break;
                }
            }
        }
    }

    private int Depth(Schema schema, Dictionary<Schema, int> depths, HashSet<Schema> stack, HashSet<Schema> reported)
    {
        if (schema is PrimitiveSchema or SchemaReference)
        {
            return 0;
        }

        if (depths.TryGetValue(schema, out var d))
        {
            return d;
        }

        if (stack.Count > MaxSchemaDepth + 2)
        {
            // Already too deep: the outer schema reports it; bounded recursion keeps long reference chains safe.
            return MaxSchemaDepth + 2;
        }

        if (!stack.Add(schema))
        {
            if (reported.Add(schema))
            {
                _s.ErrorAt("schema.cycle", schema.Path, schema.SourceName, $"Schema '{schema.Id}' refers to itself.");
            }

            return 1000;
        }

        var inner = schema switch
        {
            ArraySchema a => Depth(a.ElementSchema, depths, stack, reported),
            MapSchema m => Depth(m.MapValue.Schema, depths, stack, reported),
            ObjectSchema o => o.Fields.Count == 0 ? 0 : o.Fields.Max(f => Depth(f.Schema, depths, stack, reported)),
            _ => 0,
        };
        stack.Remove(schema);
        d = inner + 1;
        if (d > MaxSchemaDepth && d < 1000 && reported.Add(schema))
        {
            _s.ErrorAt("schema.depth", schema.Path, schema.SourceName, $"Schema '{schema.Id}' nests complex schemas {d} levels deep; the limit is {MaxSchemaDepth}.");
        }

        depths[schema] = d;
        return d;
    }
}
