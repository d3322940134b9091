using System.Text.Json;

namespace TwinCluster.Modeling.Parsing;

internal sealed partial class Reader
{
    private const int MaxInterfaceBytes = 1024 * 1024;
    private const int MaxContentElements = 100_000;

    private static readonly string[] s_interface = ["Interface"];
    private static readonly string[] s_payloadV2 = ["CommandPayload"];
    private static readonly string[] s_request = ["CommandRequest"];
    private static readonly string[] s_response = ["CommandResponse"];
    private static readonly string[] s_enumValue = ["EnumValue"];
    private static readonly string[] s_mapKey = ["MapKey"];
    private static readonly string[] s_mapValue = ["MapValue"];
    private static readonly string[] s_field = ["Field"];
    private static readonly string[] s_property = ["Property"];

    /// <summary>Reads one source: a document or an array of documents.</summary>
    public void ReadSource(ModelSource source)
    {
        _s.Source = source.Name;
        if (source.Json is null)
        {
            _s.Error("document.type", "$", "The source has no JSON text.");
            return;
        }

        if (source.Json.Length > _s.Options.MaxSourceLength)
        {
            _s.Error("json.size", "$", $"The source is {source.Json.Length} characters long; the limit is {_s.Options.MaxSourceLength}.");
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(source.Json, new JsonDocumentOptions { MaxDepth = _s.Options.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            var depth = ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);
            _s.Error(depth ? "json.depth" : "json.malformed", ex.Path ?? "$",
                depth ? $"The JSON is nested deeper than {_s.Options.MaxJsonDepth} levels (line {ex.LineNumber + 1})."
                      : $"Malformed JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    ReadTopLevel(root, "$");
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in root.EnumerateArray())
                    {
                        ReadTopLevel(item, $"$[{i++}]");
                    }

                    break;
                default:
                    _s.Error("document.type", "$", $"A model document must be a JSON object or an array of objects, not {ParseSession.Describe(root.ValueKind)}.");
                    break;
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..(dot + 1)] : message;
    }

    private void ReadTopLevel(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _s.Error("document.type", path, $"A model document must be a JSON object, not {ParseSession.Describe(element.ValueKind)}.");
            return;
        }

        if (!element.TryGetProperty("@context", out _))
        {
            _s.Error("context.missing", path, "A top-level document needs an @context naming the DTDL version (e.g. \"dtmi:dtdl:context;3\").");
            return;
        }

        _documentRoot = new object();
        _documentText = element.GetRawText();
        ReadInterface(element, path, null, null, null);
    }

    /// <summary>Reads an Interface (top level, inline extends or inline Component schema).</summary>
    private InterfaceModel? ReadInterface(JsonElement obj, string path, DocContext? outer, string? parentId, string? parentProp)
    {
        var ctx = outer;
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("@context", out var contextValue))
        {
            ctx = ReadContext(contextValue, Prop(path, "@context"), outer);
            if (ctx is null)
            {
                return null;
            }

            if (outer is not null && ctx.Version > outer.Version)
            {
                _s.Error("context.version", Prop(path, "@context"), $"An Interface inside a DTDL v{outer.Version} document may not use the later DTDL v{ctx.Version}.");
                return null;
            }
        }

        if (ctx is null)
        {
            _s.Error("context.missing", path, "The Interface needs an @context.");
            return null;
        }

        var h = ReadHeader(obj, path, ctx, s_interface, null, "an Interface");
        if (h is null)
        {
            return null;
        }

        var model = new InterfaceModel { DtdlVersion = ctx.Version };
        var ok = ReadDescriptive(h, model);
        if (h.ExplicitId is null)
        {
            _s.Error("id.missing", path, "An Interface requires an @id (a DTMI).");
            return null;
        }

        if (h.ExplicitId.Length > Dtmi.MaxInterfaceLength)
        {
            _s.Error("dtmi.length", Prop(path, "@id"), $"The Interface @id is {h.ExplicitId.Length} characters long; the limit is {Dtmi.MaxInterfaceLength}.");
            ok = false;
        }

        model.Id = h.ExplicitId;
        ok &= RegisterId(model.Id, model, path);
        // The whole top-level document: inline (extends, component) interfaces share their parent's text, so storing
        // every interface's SourceJson and parsing the distinct texts again reproduces the model set.
        model.SourceJson = _documentText;
        model.Document = _documentRoot;
        if (outer is null)
        {
            _s.DocumentRootIds[_documentRoot] = model.Id;
        }

        if (ctx.Version >= 3 && obj.GetRawText() is { Length: > MaxInterfaceBytes / 4 } own && System.Text.Encoding.UTF8.GetByteCount(own) > MaxInterfaceBytes)
        {
            _s.Error("interface.size", path, $"Interface '{model.Id}' is larger than 1 MiB of JSON, the DTDL v{ctx.Version} limit.");
            ok = false;
        }

        if (h.Props.TryGetValue("extends", out var ext))
        {
            var bases = new List<string>();
            var count = 0;
            foreach (var (item, ipath) in Items(ext.Value, ext.Path))
            {
                count++;
                if (item.ValueKind == JsonValueKind.String)
                {
                    var target = item.GetString()!;
                    if (CheckDtmi(target, ipath, ctx, "extends"))
                    {
                        bases.Add(target);
                        _s.Refs.Add(new ParseSession.PendingRef(target, ipath, _s.Source, ParseSession.RefKind.Interface, ctx.Version, _ => { }, null, _documentRoot));
                    }
                    else
                    {
                        ok = false;
                    }
                }
                else if (item.ValueKind == JsonValueKind.Object)
                {
                    var inline = ReadInterface(item, ipath, ctx, model.Id, "extends");
                    if (inline is null)
                    {
                        ok = false;
                    }
                    else
                    {
                        bases.Add(inline.Id);
                    }
                }
                else
                {
                    _s.Error("value.type", ipath, $"extends must list Interface DTMIs or Interfaces, not {ParseSession.Describe(item.ValueKind)}.");
                    ok = false;
                }
            }

            if (ctx.Version == 2 && count > 2)
            {
                _s.Error("extends.count", ext.Path, $"Interface '{model.Id}' extends {count} Interfaces; DTDL v2 allows at most 2.");
                ok = false;
            }

            model.Extends = bases;
        }

        if (h.Props.TryGetValue("schemas", out var schemas))
        {
            foreach (var (item, ipath) in Items(schemas.Value, schemas.Path))
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    _s.Error("value.type", ipath, $"schemas must hold complex schema objects, not {ParseSession.Describe(item.ValueKind)}.");
                    ok = false;
                    continue;
                }

                if (!item.TryGetProperty("@id", out _))
                {
                    _s.Error("id.missing", ipath, "A schema in an Interface's schemas requires an @id.");
                    ok = false;
                }

                var schema = ReadComplexSchema(item, ipath, ctx, model.Id, "schemas", 1);
                if (schema is null)
                {
                    ok = false;
                }
                else
                {
                    model.OwnSchemas.Add(schema);
                }
            }
        }

        var elementsBefore = _elementCount;
        if (h.Props.TryGetValue("contents", out var contents))
        {
            var count = 0;
            foreach (var (item, ipath) in Items(contents.Value, contents.Path))
            {
                count++;
                if (TryElementReference<ContentModel>(item, ipath, ctx, c => model.OwnContents.Add(c), out var refOk))
                {
                    ok &= refOk;
                    continue;
                }

                var content = ReadContent(item, ipath, ctx, model.Id);
                if (content is null)
                {
                    ok = false;
                    continue;
                }

                content.DefinedIn = model.Id;
                model.OwnContents.Add(content);
            }

            if (ctx.Version == 2 && count > 300)
            {
                _s.Error("contents.count", contents.Path, $"Interface '{model.Id}' has {count} contents; DTDL v2 allows at most 300.");
                ok = false;
            }
        }

        if (ctx.Version >= 3 && _elementCount - elementsBefore > MaxContentElements)
        {
            _s.Error("contents.count", path, $"Interface '{model.Id}' has {_elementCount - elementsBefore} elements under its contents; DTDL v{ctx.Version} allows at most {MaxContentElements}.");
            ok = false;
        }

        ok &= CheckIndexesUnique(model.OwnContents, $"contents of Interface '{model.Id}'");
        if (model.OwnContents.Exists(c => c.Annotates is not null))
        {
            var source = _s.Source;
            _s.DeferredChecks.Add(() => CheckAnnotations(model, source));
        }

        var names = new Dictionary<string, ContentModel>(StringComparer.Ordinal);
        foreach (var c in model.OwnContents)
        {
            if (!names.TryAdd(c.Name, c))
            {
                _s.Error("name.duplicate", c.Path, $"Interface '{model.Id}' has two contents named '{c.Name}'.");
                ok = false;
            }
        }

        if (ok || !_s.Full)
        {
            _s.Interfaces.Add(model);
        }

        return ok ? model : null;
    }

    /// <summary>An object-valued property may instead give the DTMI of an element defined elsewhere in the model set.</summary>
    private bool TryElementReference<T>(JsonElement item, string path, DocContext ctx, Action<T> assign, out bool ok)
        where T : class
    {
        ok = true;
        if (item.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var target = item.GetString()!;
        if (!CheckDtmi(target, path, ctx, "reference"))
        {
            ok = false;
            return true;
        }

        _s.Refs.Add(new ParseSession.PendingRef(target, path, _s.Source, ParseSession.RefKind.Element, ctx.Version, o => assign((T)o), typeof(T), _documentRoot));
        return true;
    }

    private static string AutoId(string parentId, string prop, string? name) =>
        name is null ? Dtmi.Child(parentId, "_" + prop) : Dtmi.Child(Dtmi.Child(parentId, "_" + prop), "__" + name);

    private ContentModel? ReadContent(JsonElement obj, string path, DocContext ctx, string interfaceId)
    {
        var h = ReadHeader(obj, path, ctx, Vocabulary.ContentClasses, null, "an element of contents");
        if (h is null)
        {
            return null;
        }

        return h.Material switch
        {
            "Property" => ReadProperty(h, interfaceId, "contents"),
            "Telemetry" => ReadTelemetry(h, interfaceId),
            "Command" => ReadCommand(h, interfaceId),
            "Relationship" => ReadRelationship(h, interfaceId),
            _ => ReadComponent(h, interfaceId),
        };
    }

    private bool Identify(Header h, ModelElement e, string parentId, string prop, string? name)
    {
        e.Id = h.ExplicitId ?? AutoId(parentId, prop, name);
        return h.ExplicitId is null || RegisterId(h.ExplicitId, e, h.Path);
    }

    private PropertyModel? ReadProperty(Header h, string parentId, string prop)
    {
        var p = new PropertyModel();
        var ok = ReadDescriptive(h, p) & ReadName(h, out var name);
        p.Name = name;
        ok &= Identify(h, p, parentId, prop, name);
        if (h.Props.TryGetValue("writable", out var w))
        {
            ok &= ReadBool(w.Value, w.Path, "writable", out var writable);
            p.Writable = writable;
        }

        ok &= RequireSchema(h, p.Id, s => p.Schema = s);
        ok &= ReadSemantic(h, () => p.Schema, out var st, out var unit);
        p.SemanticType = st;
        p.Unit = unit;
        if (ok && h.Ctx.Version == 2)
        {
            var path = h.Props["schema"].Path;
            var source = _s.Source;
            _s.DeferredChecks.Add(() =>
            {
                if (ContainsArray(p.Schema, []))
                {
                    _s.ErrorAt("schema.arrayInProperty", path, source, $"Property '{p.Name}': DTDL v2 does not allow an Array (nor a geospatial schema, which is one) in a Property's schema.");
                }
            });
        }

        return ok ? p : null;
    }

    private static bool ContainsArray(Schema schema, HashSet<Schema> seen)
    {
        if (!seen.Add(schema))
        {
            return false;
        }

        return schema switch
        {
            ArraySchema => true,
            PrimitiveSchema p => p.Kind >= PrimitiveKind.Point,
            ObjectSchema o => o.Fields.Any(f => ContainsArray(f.Schema, seen)),
            MapSchema m => ContainsArray(m.MapValue.Schema, seen),
            _ => false,
        };
    }

    private TelemetryModel? ReadTelemetry(Header h, string parentId)
    {
        var t = new TelemetryModel();
        var ok = ReadDescriptive(h, t) & ReadName(h, out var name);
        t.Name = name;
        ok &= Identify(h, t, parentId, "contents", name);
        ok &= RequireSchema(h, t.Id, s => t.Schema = s);
        ok &= ReadSemantic(h, () => t.Schema, out var st, out var unit);
        t.SemanticType = st;
        t.Unit = unit;
        return ok ? t : null;
    }

    /// <summary>Checks the semantic type's unit and (after linking) that the schema is numeric.</summary>
    private bool ReadSemantic(Header h, Func<Schema> getSchema, out string? semanticType, out string? unit)
    {
        semanticType = h.SemanticType;
        unit = null;
        var hasUnit = h.Props.TryGetValue("unit", out var u);
        if (semanticType is null)
        {
            return true;
        }

        if (!hasUnit)
        {
            _s.Error("unit.missing", h.Path, $"{h.Label} with semantic type '{semanticType}' requires a 'unit'.");
            return false;
        }

        if (!ReadString(u.Value, u.Path, "unit", int.MaxValue, out var unitText))
        {
            return false;
        }

        unitText = StripStandard(unitText, "dtmi:standard:unit:", h.Ctx.Version);

        if (!Vocabulary.UnitMatches(h.Ctx.Version, h.Ctx.Quantitative, semanticType, unitText))
        {
            _s.Error("unit.invalid", u.Path, $"'{Clip(unitText)}' is not a unit of semantic type '{semanticType}'.");
            return false;
        }

        unit = unitText;
        if (h.Props.TryGetValue("schema", out var schemaEntry))
        {
            var path = schemaEntry.Path;
            var source = _s.Source;
            var st = semanticType;
            var material = h.Label;
            _s.DeferredChecks.Add(() =>
            {
                var s = getSchema();
                if (s is not PrimitiveSchema { IsNumeric: true })
                {
                    _s.ErrorAt("semanticType.schema", path, source, $"{material} with semantic type '{st}' must have a numeric schema, not {s.Describe()}.");
                }
            });
        }

        return true;
    }

    private bool RequireSchema(Header h, string ownerId, Action<Schema> assign, bool primitiveStringOnly = false)
    {
        if (!h.Props.TryGetValue("schema", out var entry))
        {
            _s.Error("property.missing", h.Path, $"{h.Label} requires a 'schema'.");
            return false;
        }

        Schema? current = null;
        var ok = ReadSchemaValue(entry.Value, entry.Path, h.Ctx, ownerId, "schema", s => { current = s; assign(s); }, 1);

        if (ok && primitiveStringOnly && current is not PrimitiveSchema { Kind: PrimitiveKind.String })
        {
            _s.Error("schema.invalid", entry.Path, "The schema of a MapKey must be 'string'.");
            return false;
        }

        return ok;
    }

    /// <summary>Reads a schema value: a primitive term, a DTMI reference, or an inline complex schema.</summary>
    private bool ReadSchemaValue(JsonElement value, string path, DocContext ctx, string ownerId, string prop, Action<Schema> assign, int depth)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            if (value.GetArrayLength() != 1)
            {
                _s.Error("value.count", path, $"{prop} takes exactly one schema, not {value.GetArrayLength()}.");
                return false;
            }

            value = value[0];
            path += "[0]";
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (TryPrimitive(text, ctx, out var primitive))
            {
                assign(primitive);
                return true;
            }

            if (ctx.Version == 3 && ctx.Quantitative && UnitTypeSchema(text) is { } unitType)
            {
                // QuantitativeTypes: a unit type is a schema whose values are its units (e.g. an Override of a unit).
                assign(unitType);
                return true;
            }

            if (ctx.Version >= 4 && ctx.Quantitative && Vocabulary.UnitTypes(3, true).Contains(text))
            {
                // DTDL v4 lets a unit type serve as a schema (its values are unit names).
                assign(PrimitiveSchema.String);
                return true;
            }

            if (ctx.IotCentral && IotCentralSchema(text, ownerId) is { } iot)
            {
                assign(iot);
                return true;
            }

            if (text.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                if (!CheckDtmi(text, path, ctx, prop))
                {
                    return false;
                }

                assign(new SchemaReference(text));
                _s.Refs.Add(new ParseSession.PendingRef(text, path, _s.Source, ParseSession.RefKind.Schema, ctx.Version, o => assign((Schema)o), null, _documentRoot));
                return true;
            }

            _s.Error("schema.undefined", path, $"'{Clip(text)}' is not a schema in DTDL v{ctx.Version}: use a primitive schema, a complex schema, or the DTMI of one.");
            return false;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            _s.Error("value.type", path, $"{prop} must be a schema name, a DTMI or a schema object, not {ParseSession.Describe(value.ValueKind)}.");
            return false;
        }

        var schema = ReadComplexSchema(value, path, ctx, ownerId, prop, depth);
        if (schema is null)
        {
            return false;
        }

        assign(schema);
        return true;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, EnumSchema> s_unitTypeSchemas = new(StringComparer.Ordinal);

    /// <summary>The unit type as an Enum of its units (one shared instance per unit type), or null for another term.</summary>
    internal static EnumSchema? UnitTypeSchema(string term) =>
        UnitTables.UnitsOfType.TryGetValue(term, out var units)
            ? s_unitTypeSchemas.GetOrAdd(term, t => new EnumSchema
            {
                Id = t,
                UnitType = t,
                ValueSchema = PrimitiveKind.String,
                Values = [.. units.Select(u => new EnumValueModel { Id = t + ":" + u, Name = u, Value = u })],
            })
            : null;

    /// <summary>The IoT Central extension schemas: geopoint (a GeoJSON point) and vector (x, y, z doubles).</summary>
    private static Schema? IotCentralSchema(string text, string ownerId) => text switch
    {
        "geopoint" or "dtmi:iotcentral:schema:geopoint;2" => DoubleObject(ownerId, "lat", "lon", "alt"),
        "vector" or "dtmi:iotcentral:schema:vector;2" => DoubleObject(ownerId, "x", "y", "z"),
        _ => null,
    };

    private static ObjectSchema DoubleObject(string ownerId, params string[] fields) => new()
    {
        Id = AutoId(ownerId, "schema", null),
        Fields = [.. fields.Select(n => new FieldModel { Name = n, Schema = PrimitiveSchema.Of(PrimitiveKind.Double) })],
    };

    /// <summary>Maps the DTMI form of a standard term (dtmi:standard:unit:metre;2) to the term.</summary>
    internal static string StripStandard(string text, string prefix, int version)
    {
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return text;
        }

        var semi = text.IndexOf(';', StringComparison.Ordinal);
        return semi > prefix.Length && text.AsSpan(semi + 1).SequenceEqual(version.ToString(System.Globalization.CultureInfo.InvariantCulture)) ? text[prefix.Length..semi] : text;
    }

    private static bool TryPrimitive(string text, DocContext ctx, out PrimitiveSchema schema)
    {
        schema = PrimitiveSchema.String;
        var term = text;
        var v = ctx.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (text.StartsWith(InstancePrefix, StringComparison.Ordinal) || text.StartsWith(GeoPrefix, StringComparison.Ordinal))
        {
            var semi = text.IndexOf(';', StringComparison.Ordinal);
            if (semi < 0 || text[(semi + 1)..] != v)
            {
                return false;
            }

            var start = text.StartsWith(InstancePrefix, StringComparison.Ordinal) ? InstancePrefix.Length : GeoPrefix.Length;
            term = text[start..semi];
            var geo = term is "point" or "multiPoint" or "lineString" or "multiLineString" or "polygon" or "multiPolygon";
            if (geo != text.StartsWith(GeoPrefix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (!Vocabulary.Primitives(ctx.Version).TryGetValue(term, out var kind))
        {
            return false;
        }

        schema = PrimitiveSchema.Of(kind);
        return true;
    }

    private Schema? ReadComplexSchema(JsonElement obj, string path, DocContext ctx, string ownerId, string prop, int depth)
    {
        var h = ReadHeader(obj, path, ctx, Vocabulary.ComplexSchemaClasses, null, prop switch
        {
            "schema" => "a schema",
            "schemas" => "an element of schemas",
            _ => $"the {prop}",
        });
        if (h is null)
        {
            return null;
        }

        Schema schema = h.Material switch
        {
            "Array" => new ArraySchema(),
            "Enum" => new EnumSchema(),
            "Map" => new MapSchema(),
            _ => new ObjectSchema(),
        };
        var ok = ReadDescriptive(h, schema);
        schema.Id = h.ExplicitId ?? AutoId(ownerId, prop, null);
        if (h.ExplicitId is not null)
        {
            ok &= RegisterId(h.ExplicitId, schema, path);
        }

        switch (schema)
        {
            case ArraySchema a:
                if (!h.Props.TryGetValue("elementSchema", out var es))
                {
                    _s.Error("property.missing", path, "An Array requires an 'elementSchema'.");
                    ok = false;
                }
                else
                {
                    ok &= ReadSchemaValue(es.Value, es.Path, ctx, a.Id, "elementSchema", s => a.ElementSchema = s, depth + 1);
                }

                break;
            case EnumSchema e:
                ok &= ReadEnum(h, e);
                break;
            case MapSchema m:
                ok &= ReadMap(h, m, depth);
                break;
            case ObjectSchema o:
                ok &= ReadObject(h, o, depth);
                break;
        }

        return ok ? schema : null;
    }

    private bool ReadEnum(Header h, EnumSchema e)
    {
        var ok = true;
        if (!h.Props.TryGetValue("valueSchema", out var vs))
        {
            _s.Error("property.missing", h.Path, "An Enum requires a 'valueSchema' (integer or string).");
            ok = false;
        }
        else if (!ReadString(vs.Value, vs.Path, "valueSchema", int.MaxValue, out var text) || !TryPrimitive(text, h.Ctx, out var primitive)
            || primitive.Kind is not (PrimitiveKind.Integer or PrimitiveKind.String))
        {
            if (_s.Errors.Count == 0 || _s.Errors[^1].Path != vs.Path)
            {
                _s.Error("enum.valueSchema", vs.Path, "The valueSchema of an Enum must be 'integer' or 'string'.");
            }

            ok = false;
        }
        else
        {
            e.ValueSchema = primitive.Kind;
        }

        var values = new List<EnumValueModel>();
        if (h.Props.TryGetValue("enumValues", out var ev))
        {
            foreach (var (item, ipath) in Items(ev.Value, ev.Path))
            {
                if (TryElementReference<EnumValueModel>(item, ipath, h.Ctx, values.Add, out var refOk))
                {
                    ok &= refOk;
                    continue;
                }

                var vh = ReadHeader(item, ipath, h.Ctx, s_enumValue, "EnumValue", "an EnumValue");
                if (vh is null)
                {
                    ok = false;
                    continue;
                }

                var v = new EnumValueModel();
                var good = ReadDescriptive(vh, v) & ReadName(vh, out var name);
                v.Name = name;
                good &= Identify(vh, v, e.Id, "enumValues", name);
                if (!vh.Props.TryGetValue("enumValue", out var raw))
                {
                    _s.Error("property.missing", ipath, "An EnumValue requires an 'enumValue'.");
                    good = false;
                }
                else if (!TypedLiteralAgrees(raw.Value, raw.Path, "enumValue"))
                {
                    good = false;
                }
                else if (Unwrap(raw.Value, raw.Path, "enumValue", out var literal, out var lpath))
                {
                    if (literal.ValueKind == JsonValueKind.String)
                    {
                        v.Value = literal.GetString()!;
                    }
                    else if (literal.ValueKind == JsonValueKind.Number && literal.TryGetInt32(out var n))
                    {
                        v.Value = n;
                    }
                    else
                    {
                        _s.Error("value.type", lpath, $"enumValue must be an integer or a string, not {ParseSession.Describe(literal.ValueKind)}.");
                        good = false;
                    }

                    if (good && ok && e.ValueSchema == PrimitiveKind.Integer != v.Value is int)
                    {
                        _s.Error("enum.valueType", lpath, $"enumValue of '{name}' must be {(e.ValueSchema == PrimitiveKind.Integer ? "an integer" : "a string")} to match the Enum's valueSchema.");
                        good = false;
                    }
                }
                else
                {
                    good = false;
                }

                if (good)
                {
                    values.Add(v);
                }

                ok &= good;
            }
        }
        else if (h.Ctx.Version == 2)
        {
            _s.Error("property.missing", h.Path, "An Enum requires 'enumValues' in DTDL v2.");
            ok = false;
        }

        if (h.Ctx.Version == 2 && values.Count > 100)
        {
            _s.Error("enum.count", ev.Path, $"The Enum has {values.Count} values; DTDL v2 allows at most 100.");
            ok = false;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var wire = new HashSet<object>();
        foreach (var v in values)
        {
            if (!names.Add(v.Name))
            {
                _s.Error("name.duplicate", v.Path, $"The Enum has two values named '{v.Name}'.");
                ok = false;
            }

            if (!wire.Add(v.Value))
            {
                _s.Error("enum.duplicateValue", v.Path, $"The Enum has two values with enumValue '{v.Value}'.");
                ok = false;
            }
        }

        e.Values = values;
        return ok & CheckIndexesUnique(values, "values of the Enum");
    }

    /// <summary>A value object's XML Schema @type must agree with its @value: xsd:integer an integer, xsd:string a string.</summary>
    private bool TypedLiteralAgrees(JsonElement value, string path, string what)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1)
        {
            value = value[0];
            path += "[0]";
        }

        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("@type", out var type) || !value.TryGetProperty("@value", out var literal))
        {
            return true;
        }

        var wantsInteger = IsXsdType(type, "integer");
        var wantsString = IsXsdType(type, "string");
        if ((wantsInteger && literal.ValueKind != JsonValueKind.Number) || (wantsString && literal.ValueKind != JsonValueKind.String))
        {
            _s.Error("value.type", Prop(path, "@value"), $"{what}: a value typed xsd:{(wantsInteger ? "integer" : "string")} must be {(wantsInteger ? "an integer" : "a string")}, not {ParseSession.Describe(literal.ValueKind)}.");
            return false;
        }

        return true;
    }

    /// <summary>Indexed (Mqtt): index values unique among the EnumValues, Fields or Telemetries of one property.</summary>
    private bool CheckIndexesUnique(IEnumerable<ModelElement> elements, string what)
    {
        var seen = new Dictionary<int, ModelElement>();
        foreach (var e in elements)
        {
            if (e.ExtensionProperties.TryGetValue("index", out var v) && v is int index && !seen.TryAdd(index, e))
            {
                _s.Error("value.invalid", Prop(e.Path, "index"), $"index {index} is used twice among the {what} (dtmi:dtdl:extension:mqtt;1 Indexed table: 'index' must be unique across all EnumValues, Fields, or Telemetries that are values of the same property).");
                return false;
            }
        }

        return true;
    }

    private FieldModel? ReadField(JsonElement item, string ipath, DocContext ctx, string[] allowed, string what, string parentId, string prop, bool named, int depth, bool stringOnly = false)
    {
        var fh = ReadHeader(item, ipath, ctx, allowed, allowed[0], what);
        if (fh is null)
        {
            return null;
        }

        var f = new FieldModel();
        var ok = ReadDescriptive(fh, f) & ReadName(fh, out var name);
        f.Name = name;
        ok &= Identify(fh, f, parentId, prop, named ? name : null);
        if (stringOnly)
        {
            ok &= RequireSchema(fh, f.Id, s => f.Schema = s, primitiveStringOnly: true);
        }
        else if (!fh.Props.TryGetValue("schema", out var entry))
        {
            _s.Error("property.missing", ipath, $"{fh.Label} requires a 'schema'.");
            ok = false;
        }
        else
        {
            ok &= ReadSemantic(fh, () => f.Schema, out var st, out var unit);
            f.SemanticType = st;
            f.Unit = unit;
            ok &= ReadSchemaValue(entry.Value, entry.Path, ctx, f.Id, "schema", s => f.Schema = s, depth + 1);
        }

        return ok ? f : null;
    }

    private bool ReadMap(Header h, MapSchema m, int depth)
    {
        var ok = true;
        if (!h.Props.TryGetValue("mapKey", out var mk))
        {
            _s.Error("property.missing", h.Path, "A Map requires a 'mapKey'.");
            ok = false;
        }
        else if (Single(mk.Value, mk.Path, "mapKey", out var keyObj, out var keyPath) && TryElementReference<FieldModel>(keyObj, keyPath, h.Ctx, f => m.MapKey = f, out var keyRefOk))
        {
            ok &= keyRefOk;
        }
        else if (Single(mk.Value, mk.Path, "mapKey", out keyObj, out keyPath))
        {
            var key = ReadField(keyObj, keyPath, h.Ctx, s_mapKey, "the mapKey", m.Id, "mapKey", false, depth, stringOnly: true);
            ok &= key is not null;
            if (key is not null)
            {
                m.MapKey = key;
            }
        }
        else
        {
            ok = false;
        }

        if (!h.Props.TryGetValue("mapValue", out var mv))
        {
            _s.Error("property.missing", h.Path, "A Map requires a 'mapValue'.");
            ok = false;
        }
        else if (Single(mv.Value, mv.Path, "mapValue", out var valueObj, out var valuePath) && TryElementReference<FieldModel>(valueObj, valuePath, h.Ctx, f => m.MapValue = f, out var valueRefOk))
        {
            ok &= valueRefOk;
        }
        else if (Single(mv.Value, mv.Path, "mapValue", out valueObj, out valuePath))
        {
            var value = ReadField(valueObj, valuePath, h.Ctx, s_mapValue, "the mapValue", m.Id, "mapValue", false, depth);
            ok &= value is not null;
            if (value is not null)
            {
                m.MapValue = value;
            }
        }
        else
        {
            ok = false;
        }

        return ok;
    }

    private bool PlainString(JsonElement value, string path, string what, out string text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        if (value.ValueKind != JsonValueKind.String)
        {
            _s.Error("value.type", path, $"{what} must be a DTMI string, not {ParseSession.Describe(value.ValueKind)}.");
            return false;
        }

        return true;
    }

    private bool Single(JsonElement value, string path, string what, out JsonElement item, out string itemPath)
    {
        item = value;
        itemPath = path;
        if (value.ValueKind == JsonValueKind.Array)
        {
            if (value.GetArrayLength() != 1)
            {
                _s.Error("value.count", path, $"{what} takes exactly one value, not {value.GetArrayLength()}.");
                return false;
            }

            item = value[0];
            itemPath = path + "[0]";
        }

        return true;
    }

    private bool ReadObject(Header h, ObjectSchema o, int depth)
    {
        var ok = true;
        var fields = new List<FieldModel>();
        if (h.Props.TryGetValue("fields", out var fe))
        {
            foreach (var (item, ipath) in Items(fe.Value, fe.Path))
            {
                if (TryElementReference<FieldModel>(item, ipath, h.Ctx, fields.Add, out var refOk))
                {
                    ok &= refOk;
                    continue;
                }

                var f = ReadField(item, ipath, h.Ctx, s_field, "a Field", o.Id, "fields", true, depth);
                if (f is null)
                {
                    ok = false;
                }
                else
                {
                    fields.Add(f);
                }
            }

            if (h.Ctx.Version == 2 && fields.Count > 30)
            {
                _s.Error("object.count", fe.Path, $"The Object has {fields.Count} fields; DTDL v2 allows at most 30.");
                ok = false;
            }
        }
        else if (h.Ctx.Version == 2)
        {
            _s.Error("property.missing", h.Path, "An Object requires 'fields' in DTDL v2.");
            ok = false;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (!names.Add(f.Name))
            {
                _s.Error("name.duplicate", f.Path, $"The Object has two fields named '{f.Name}'.");
                ok = false;
            }
        }

        o.Fields = fields;
        return ok & CheckIndexesUnique(fields, "fields of the Object");
    }

    private CommandModel? ReadCommand(Header h, string parentId)
    {
        var c = new CommandModel();
        var ok = ReadDescriptive(h, c) & ReadName(h, out var name);
        c.Name = name;
        ok &= Identify(h, c, parentId, "contents", name);
        if (h.Props.TryGetValue("commandType", out var ct))
        {
            if (!ReadString(ct.Value, ct.Path, "commandType", int.MaxValue, out var text) || (text is not ("synchronous" or "asynchronous") && text != $"dtmi:dtdl:instance:CommandType:synchronous;{h.Ctx.Version}" && text != $"dtmi:dtdl:instance:CommandType:asynchronous;{h.Ctx.Version}"))
            {
                _s.Error("value.invalid", ct.Path, "commandType must be 'synchronous' or 'asynchronous'.");
                ok = false;
            }
        }

        ok &= ReadPayload(h, c, "request", h.Ctx.Version == 2 ? s_payloadV2 : s_request, p => c.Request = p);
        ok &= ReadPayload(h, c, "response", h.Ctx.Version == 2 ? s_payloadV2 : s_response, p => c.Response = p);
        return ok ? c : null;
    }

    private bool ReadPayload(Header h, CommandModel c, string prop, string[] allowed, Action<CommandPayloadModel> assign)
    {
        if (!h.Props.TryGetValue(prop, out var entry))
        {
            return true;
        }

        if (!Single(entry.Value, entry.Path, prop, out var obj, out var path))
        {
            return false;
        }

        if (TryElementReference(obj, path, h.Ctx, assign, out var refOk))
        {
            return refOk;
        }

        var ph = ReadHeader(obj, path, h.Ctx, allowed, allowed[0], $"the Command {prop}");
        if (ph is null)
        {
            return false;
        }

        var p = new CommandPayloadModel();
        var ok = ReadDescriptive(ph, p) & ReadName(ph, out var name);
        p.Name = name;
        ok &= Identify(ph, p, c.Id, prop, null);
        if (ph.Props.TryGetValue("nullable", out var nl))
        {
            ok &= ReadBool(nl.Value, nl.Path, "nullable", out var nullable);
            p.Nullable = nullable;
        }

        ok &= ReadSemantic(ph, () => p.Schema, out var semanticType, out var unit);
        p.SemanticType = semanticType;
        p.Unit = unit;
        ok &= RequireSchema(ph, p.Id, s => p.Schema = s);
        if (ok && ph.CoTypes.Contains("Transparent") && ph.Ctx.Extensions.Contains("mqtt"))
        {
            var schemaPath = ph.Props["schema"].Path;
            var source = _s.Source;
            _s.DeferredChecks.Add(() =>
            {
                if (p.Schema is not ObjectSchema)
                {
                    _s.ErrorAt("mqtt.transparent", schemaPath, source, $"The Command {prop} '{p.Name}' is co-typed Transparent, so its schema must be an Object whose fields form the payload, not {p.Schema.Describe()}.");
                }
            });
        }

        if (ok)
        {
            assign(p);
        }

        return ok;
    }

    private RelationshipModel? ReadRelationship(Header h, string parentId)
    {
        var r = new RelationshipModel();
        var ok = ReadDescriptive(h, r) & ReadName(h, out var name);
        r.Name = name;
        ok &= Identify(h, r, parentId, "contents", name);
        if (h.Props.TryGetValue("writable", out var w))
        {
            ok &= ReadBool(w.Value, w.Path, "writable", out var writable);
            r.Writable = writable;
        }

        if (h.Props.TryGetValue("target", out var t))
        {
            if (Single(t.Value, t.Path, "target", out var tv, out var tpath) && PlainString(tv, tpath, "target", out var target) && CheckDtmi(target, tpath, h.Ctx, "target"))
            {
                r.Target = target;
            }
            else
            {
                ok = false;
            }
        }

        if (h.Props.TryGetValue("minMultiplicity", out var min))
        {
            if (ReadInt(min.Value, min.Path, "minMultiplicity", out var n))
            {
                var rule = SpecTables.Rules(h.Ctx.Version, "Relationship")["minMultiplicity"];
                if (n < rule.Min || n > rule.Max)
                {
                    _s.Error("multiplicity.invalid", min.Path, $"minMultiplicity of Relationship '{name}' is {n}, but {rule.Rule(rule.Limits)}.");
                    ok = false;
                }

                r.MinMultiplicity = n;
            }
            else
            {
                ok = false;
            }
        }

        if (h.Props.TryGetValue("maxMultiplicity", out var max))
        {
            if (ReadInt(max.Value, max.Path, "maxMultiplicity", out var n))
            {
                var rule = SpecTables.Rules(h.Ctx.Version, "Relationship")["maxMultiplicity"];
                if (n < rule.Min || n > rule.Max)
                {
                    _s.Error("multiplicity.invalid", max.Path, $"maxMultiplicity of Relationship '{name}' is {n}, but {rule.Rule(rule.Limits)}.");
                    ok = false;
                }

                r.MaxMultiplicity = n;
            }
            else
            {
                ok = false;
            }
        }

        if (h.Props.TryGetValue("properties", out var props))
        {
            var dict = new Dictionary<string, PropertyModel>(StringComparer.Ordinal);
            var count = 0;
            foreach (var (item, ipath) in Items(props.Value, props.Path))
            {
                count++;
                if (TryElementReference<PropertyModel>(item, ipath, h.Ctx, p => dict.TryAdd(p.Name, p), out var refOk))
                {
                    ok &= refOk;
                    continue;
                }

                var ph = ReadHeader(item, ipath, h.Ctx, s_property, null, "a Relationship property");
                var p = ph is null ? null : ReadProperty(ph, r.Id, "properties");
                if (p is null)
                {
                    ok = false;
                    continue;
                }

                p.DefinedIn = parentId;
                if (!dict.TryAdd(p.Name, p))
                {
                    _s.Error("name.duplicate", ipath, $"Relationship '{name}' has two properties named '{p.Name}'.");
                    ok = false;
                }
            }

            if (h.Ctx.Version == 2 && count > 300)
            {
                _s.Error("relationship.count", props.Path, $"Relationship '{name}' has {count} properties; DTDL v2 allows at most 300.");
                ok = false;
            }

            r.Properties = dict;
        }

        return ok ? r : null;
    }

    private ComponentModel? ReadComponent(Header h, string parentId)
    {
        var c = new ComponentModel();
        var ok = ReadDescriptive(h, c) & ReadName(h, out var name);
        c.Name = name;
        ok &= Identify(h, c, parentId, "contents", name);
        if (!h.Props.TryGetValue("schema", out var entry))
        {
            _s.Error("property.missing", h.Path, "A Component requires a 'schema' (an Interface).");
            return null;
        }

        if (!Single(entry.Value, entry.Path, "schema", out var value, out var path))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var target = value.GetString()!;
            if (!target.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                _s.Error("schema.invalid", path, $"The schema of Component '{name}' must be an Interface (its DTMI or an inline Interface), not '{Clip(target)}'.");
                return null;
            }

            if (!CheckDtmi(target, path, h.Ctx, "schema"))
            {
                return null;
            }

            c.SchemaId = target;
            _s.Refs.Add(new ParseSession.PendingRef(target, path, _s.Source, ParseSession.RefKind.Interface, h.Ctx.Version, _ => { }, null, _documentRoot));
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            var inline = ReadInterface(value, path, h.Ctx, c.Id, "schema");
            if (inline is null)
            {
                return null;
            }

            c.SchemaId = inline.Id;
        }
        else
        {
            _s.Error("value.type", path, $"The schema of Component '{name}' must be an Interface, not {ParseSession.Describe(value.ValueKind)}.");
            return null;
        }

        return ok ? c : null;
    }
}
