using System.Text.Json;

namespace TwinCluster.Modeling.Parsing;

/// <summary>Reads DTDL JSON-LD documents into the object model, checking the per-element rules.</summary>
internal sealed partial class Reader(ParseSession session)
{
    private const string ClassPrefix = "dtmi:dtdl:class:";
    private const string PropertyPrefix = "dtmi:dtdl:property:";
    private const string InstancePrefix = "dtmi:dtdl:instance:Schema:";
    private const string GeoPrefix = "dtmi:standard:schema:geospatial:";

    private readonly ParseSession _s = session;

    // DTDL v2 tolerates extra keywords in value objects (the reference parser only recommends against them).
    private bool _lenient;

    // Elements read so far; the difference across an Interface's contents is its v3 element count.
    private int _elementCount;

    // The top-level document being read: non-Interface elements may be referenced only from within their own document.
    private object _documentRoot = new();
    private string _documentText = string.Empty;

    /// <summary>The header of an element: its classes, identifier, and the DTDL properties present.</summary>
    private sealed class Header
    {
        public string Material = string.Empty;
        public List<string> CoTypes = [];
        public string? SemanticType;
        public bool Undefined;
        public bool OpaqueCoType;
        public bool ExtensionCoType;
        // Allocated only for elements that carry documented adjunct types (most elements carry none).
        public List<SpecTables.AdjunctSpec>? AdjunctList;
        public Dictionary<string, object>? ExtensionValueMap;

        public IReadOnlyList<SpecTables.AdjunctSpec> Adjuncts => AdjunctList ?? (IReadOnlyList<SpecTables.AdjunctSpec>)[];

        public Dictionary<string, object> ExtensionValues => ExtensionValueMap ??= new(StringComparer.Ordinal);
        public string? ExplicitId;
        public Dictionary<string, (JsonElement Value, string Path)> Props = new(StringComparer.Ordinal);
        public string Label = string.Empty;
        public DocContext Ctx = null!;
        public string Path = "$";
    }

    private static string Prop(string path, string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_' || name[0] == '@') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@')
            ? name[0] == '@' ? $"{path}['{name}']" : $"{path}.{name}"
            : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    // ---- contexts ----------------------------------------------------------------------------------------------

    private DocContext? ReadContext(JsonElement value, string path, DocContext? outer)
    {
        var items = new List<(JsonElement, string)>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                items.Add((item, $"{path}[{i++}]"));
            }
        }
        else
        {
            items.Add((value, path));
        }

        if (items.Count == 0)
        {
            if (outer is null)
            {
                _s.Error("context.invalid", path, "@context must name the DTDL context.");
            }

            return outer;
        }

        var version = 0;
        var dtdlAt = -1;
        var extensions = new HashSet<string>(StringComparer.Ordinal);
        var quant = false;
        var iot = false;
        foreach (var (item, itemPath) in items)
        {
            dtdlAt += version == 0 ? 1 : 0;
            if (item.ValueKind != JsonValueKind.String)
            {
                _s.Error("context.invalid", itemPath, $"A context specifier must be a string, not {ParseSession.Describe(item.ValueKind)}.");
                return null;
            }

            var text = item.GetString()!;
            if (text.StartsWith("dtmi:dtdl:context;", StringComparison.Ordinal))
            {
                version = text switch
                {
                    "dtmi:dtdl:context;2" => 2,
                    "dtmi:dtdl:context;3" => 3,
                    "dtmi:dtdl:context;4" => 4,
                    _ => 0,
                };
                if (version == 0)
                {
                    _s.Error("context.invalid", itemPath, $"'{text}' is not a supported DTDL context (2, 3 or 4).");
                    return null;
                }
            }
        }

        if (version >= 3 && dtdlAt > 0)
        {
            // DTDL v3 "Context": the DTDL context must always be first, any other contexts after it (v2 only recommends it).
            _s.Error("context.order", items[dtdlAt].Item2, $"The DTDL context must come first in @context; '{Clip(items[0].Item1.GetString() ?? string.Empty)}' precedes it.");
            return null;
        }

        if (version == 0)
        {
            if (outer is null)
            {
                _s.Error("context.invalid", items[0].Item2, "The @context of a top-level document must include the DTDL context (e.g. dtmi:dtdl:context;3).");
                return null;
            }

            version = outer.Version;
            extensions.UnionWith(outer.Extensions);
            quant = outer.Quantitative;
            iot = outer.IotCentral;
        }

        foreach (var (item, itemPath) in items)
        {
            var text = item.GetString()!;
            if (text.StartsWith("dtmi:dtdl:context;", StringComparison.Ordinal))
            {
                continue;
            }

            if (!TryExtension(text, version, out var name, out var extensionVersion))
            {
                _s.Error("context.undefined", itemPath, $"'{Clip(text)}' is not a known DTDL extension context for DTDL v{version}.");
                return null;
            }

            extensions.Add(name);
            extensions.Add($"{name};{extensionVersion}");
            quant |= name == "quantitativeTypes";
            iot |= name == "iotcentral";
        }

        return new DocContext(version, quant, iot, extensions);
    }

    private static bool TryExtension(string text, int version, out string name, out string extensionVersion)
    {
        name = string.Empty;
        extensionVersion = string.Empty;
        if (text is "dtmi:iotcentral:context;2" && version == 2)
        {
            name = "iotcentral";
            extensionVersion = "2";
            return true;
        }

        const string prefix = "dtmi:dtdl:extension:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || version < 3)
        {
            return false;
        }

        var rest = text[prefix.Length..];
        var semi = rest.IndexOf(';', StringComparison.Ordinal);
        if (semi <= 0)
        {
            return false;
        }

        name = rest[..semi];
        var ver = rest[(semi + 1)..];
        extensionVersion = ver;
        var ok = name is "quantitativeTypes" or "historization" or "annotation" or "overriding" or "mqtt" or "requirement"
            && ver.Length is > 0 and < 4 && ver.All(char.IsAsciiDigit);
        return ok;
    }

    // ---- headers ----------------------------------------------------------------------------------------------

    /// <summary>Checks the keywords, resolves @type against the allowed classes and collects the properties.</summary>
    private Header? ReadHeader(JsonElement obj, string path, DocContext ctx, string[] allowed, string? implied, string what)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            _s.Error("value.type", path, $"{what} must be an object, not {ParseSession.Describe(obj.ValueKind)}.");
            return null;
        }

        var h = new Header { Ctx = ctx, Path = path };
        _elementCount++;
        _lenient = ctx.Version == 2;
        JsonElement? typeValue = null;
        var ok = true;
        foreach (var p in obj.EnumerateObject())
        {
            var name = p.Name;
            if (name.Length > 0 && name[0] == '@')
            {
                switch (name)
                {
                    case "@type":
                        typeValue = p.Value;
                        break;
                    case "@id":
                        ok &= ReadId(p.Value, Prop(path, name), ctx, out h.ExplicitId, what);
                        break;
                    case "@context":
                        if (!allowed.Contains("Interface"))
                        {
                            var nested = ReadContext(p.Value, Prop(path, name), ctx);
                            if (nested is null)
                            {
                                ok = false;
                            }
                            else if (nested.Version > ctx.Version || (nested.Version < ctx.Version && !AcceptsOlder(allowed)))
                            {
                                _s.Error("context.version", Prop(path, name), $"{what} may not switch to DTDL v{nested.Version} inside a DTDL v{ctx.Version} document.");
                                ok = false;
                            }
                            else
                            {
                                ctx = nested;
                                h.Ctx = nested;
                            }
                        }

                        break;
                    case "@graph":
                        _s.Error("keyword.invalid", Prop(path, name), $"The JSON-LD keyword '@graph' is not allowed in DTDL ({what}).");
                        ok = false;
                        break;
                    default:
                        // DTDL v2 tolerates other keywords on elements (the reference parser only recommends against them).
                        if (ctx.Version != 2)
                        {
                            _s.Error("keyword.invalid", Prop(path, name), $"The JSON-LD keyword '{name}' is not allowed in DTDL v{ctx.Version} ({what}).");
                            ok = false;
                        }

                        break;
                }
            }
        }

        if (!ReadTypes(typeValue, Prop(path, "@type"), ctx, allowed, implied, what, h))
        {
            return null;
        }

        h.Label = Label(obj, h);
        var spec = Vocabulary.Classes(ctx.Version)[h.Material];
        if (h.SemanticType is not null && !spec.SemanticTypes)
        {
            _s.Error("type.irrelevant", Prop(path, "@type"), $"{h.Label} cannot have the semantic type '{h.SemanticType}'.");
            return null;
        }

        foreach (var adjunct in h.Adjuncts)
        {
            if (Array.IndexOf(adjunct.CoTypes, h.Material) < 0)
            {
                _s.Error("type.irrelevant", Prop(path, "@type"), $"'{adjunct.Type}' ({adjunct.Context}) can co-type only {Or(adjunct.CoTypes)}, not {h.Label}.");
                return null;
            }

            foreach (var needed in adjunct.RequiresCoTypes)
            {
                if (!h.CoTypes.Contains(needed))
                {
                    _s.Error("type.requires", Prop(path, "@type"), $"{h.Label} is co-typed '{adjunct.Type}', which {adjunct.Context} allows only together with '{needed}'.");
                    return null;
                }
            }
        }

        var rules = SpecTables.Rules(ctx.Version, h.Material);
        var hasUnit = h.SemanticType is not null;
        foreach (var p in obj.EnumerateObject())
        {
            var key = p.Name;
            if (key.Length > 0 && key[0] == '@')
            {
                continue;
            }

            var ppath = Prop(path, key);
            var term = key;
            var viaDtmi = false;
            if (key.StartsWith(PropertyPrefix, StringComparison.Ordinal))
            {
                var semi = key.IndexOf(';', StringComparison.Ordinal);
                var ver = semi > 0 ? key[(semi + 1)..] : string.Empty;
                if (semi < 0 || ver != ctx.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    _s.Error("property.undefined", ppath, $"'{key}' is not a property of DTDL v{ctx.Version}.");
                    ok = false;
                    continue;
                }

                term = key[PropertyPrefix.Length..semi];
                viaDtmi = true;
            }

            var allowedHere = Array.IndexOf(spec.Properties, term) >= 0 || (term == "unit" && hasUnit);
            if (allowedHere)
            {
                if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0)
                {
                    continue;
                }

                if (h.Props.ContainsKey(term))
                {
                    _s.Error("property.duplicate", ppath, $"'{term}' is given twice on {what} (as a term and as a DTMI).");
                    ok = false;
                    continue;
                }

                if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() > 1 && rules.TryGetValue(term, out var rule)
                    && !rule.IsSet && rule.Kind != SpecTables.ValueKind.LocalizableString)
                {
                    _s.Error("value.count", ppath, $"{h.Label} takes one value for '{term}', not {p.Value.GetArrayLength()} ({rule.Table}: data type {rule.DataType}).");
                    ok = false;
                    continue;
                }

                h.Props[term] = (p.Value, ppath);
                continue;
            }

            if (!viaDtmi && AdjunctRule(h, term) is { } adjunctRule)
            {
                ok &= ReadAdjunctValue(h, adjunctRule, p.Value, ppath);
                continue;
            }

            if (h.ExtensionCoType && !viaDtmi && !Vocabulary.IsReservedTerm(term, ctx.Version, ctx.Quantitative))
            {
                // A property of an extension adjunct type (e.g. mqtt payloadFormat, annotation annotates).
                continue;
            }

            if (ctx.HasOpaqueExtension && !viaDtmi && (h.OpaqueCoType || !Vocabulary.IsReservedTerm(term, ctx.Version, ctx.Quantitative)))
            {
                continue;
            }

            if (h.Undefined && ctx.Version == 2)
            {
                continue;
            }

            if (viaDtmi || Vocabulary.IsReservedTerm(term, ctx.Version, ctx.Quantitative))
            {
                _s.Error("property.irrelevant", ppath, $"'{term}' is a DTDL term but not a property of {h.Label}.");
                ok = false;
                continue;
            }

            if (h.Undefined)
            {
                if (ctx.Version == 2)
                {
                    continue;
                }

                if (key.StartsWith("dtmi:", StringComparison.Ordinal) && Dtmi.IsValid(key))
                {
                    continue;
                }
            }

            _s.Error("property.undefined", ppath, $"'{key}' is not a property of {h.Label}" + (h.Undefined ? "." : " (undefined properties need an undefined co-type)."));
            ok = false;
        }

        if (ok)
        {
            ok &= CheckRequired(h, SpecTables.RequiredRules(ctx.Version, h.Material), h.Props);
            foreach (var adjunct in h.Adjuncts)
            {
                ok &= CheckRequired(h, adjunct.Properties, h.ExtensionValueMap);
            }
        }

        return ok ? h : null;
    }

    private bool CheckRequired<T>(Header h, SpecTables.PropertyRule[] rules, Dictionary<string, T>? present)
    {
        foreach (var rule in rules)
        {
            if (rule.Required && rule.Name[0] != '@' && present?.ContainsKey(rule.Name) != true)
            {
                _s.Error("property.missing", h.Path, $"{h.Label} requires '{rule.Name}' ({rule.Table}: required).");
                return false;
            }
        }

        return true;
    }

    private static SpecTables.PropertyRule? AdjunctRule(Header h, string term)
    {
        foreach (var adjunct in h.Adjuncts)
        {
            foreach (var rule in adjunct.Properties)
            {
                if (rule.Name == term)
                {
                    return rule;
                }
            }
        }

        return null;
    }

    /// <summary>Reads a property an adjunct type adds, checked against its row of the extension's table.</summary>
    private bool ReadAdjunctValue(Header h, SpecTables.PropertyRule rule, JsonElement value, string path)
    {
        var what = $"'{rule.Name}' of {h.Label}";
        switch (rule.Kind)
        {
            case SpecTables.ValueKind.Integer:
                if (!ReadInt(value, path, what, out var n))
                {
                    return false;
                }

                if (n < rule.Min || n > rule.Max)
                {
                    _s.Error("value.invalid", path, $"{what} is {n}, but {rule.Rule(rule.Limits)}.");
                    return false;
                }

                h.ExtensionValues[rule.Name] = n;
                return true;
            case SpecTables.ValueKind.Boolean:
                if (!ReadBool(value, path, what, out var b))
                {
                    return false;
                }

                h.ExtensionValues[rule.Name] = b;
                return true;
            default:
                if (!ReadString(value, path, what, rule.MaxLength ?? int.MaxValue, out var text))
                {
                    return false;
                }

                var valid = rule.Kind switch
                {
                    SpecTables.ValueKind.Duration => IsDuration(text),
                    SpecTables.ValueKind.Iri => IsTermOrIri(text),
                    _ => !rule.Limits.Contains("slash-separated", StringComparison.Ordinal) || IsTopicPattern(text),
                };
                if (!valid)
                {
                    _s.Error("value.invalid", path, $"{what} '{Clip(text)}' is not a valid {(rule.Kind is SpecTables.ValueKind.String ? "topic pattern" : rule.DataType)} ({rule.Rule(rule.Limits.Length > 0 ? rule.Limits : "is " + rule.DataType)}).");
                    return false;
                }

                h.ExtensionValues[rule.Name] = text;
                return true;
        }
    }

    // ISO 8601 duration (PnYnMnDTnHnMnS or PnW), at least one component, fractions on the last.
    private static readonly System.Text.RegularExpressions.Regex s_duration = new(
        @"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    internal static bool IsDuration(string text) => s_duration.IsMatch(text);

    private static bool IsTermOrIri(string text) =>
        text.Length > 0 && (text.Contains(':', StringComparison.Ordinal) ? !text.Any(char.IsWhiteSpace) : IsValidName(text));

    /// <summary>The Mqtt topic pattern: '/'-separated labels, each literal printable ASCII or a {token} / {prefix:token}; not starting with '$'.</summary>
    internal static bool IsTopicPattern(string text)
    {
        if (text.Length == 0 || text[0] == '$')
        {
            return false;
        }

        foreach (var label in text.Split('/'))
        {
            if (label.Length == 0)
            {
                return false;
            }

            if (label[0] == '{')
            {
                if (label[^1] != '}')
                {
                    return false;
                }

                var token = label[1..^1];
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                var prefix = colon < 0 ? "x" : token[..colon];
                var name = colon < 0 ? token : token[(colon + 1)..];
                if (prefix.Length == 0 || name.Length == 0 || !prefix.All(char.IsAsciiLetter) || !name.All(char.IsAsciiLetter))
                {
                    return false;
                }

                continue;
            }

            if (label.Any(c => c is <= ' ' or > '~' or '"' or '+' or '#' or '{' or '}'))
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadTypes(JsonElement? value, string path, DocContext ctx, string[] allowed, string? implied, string what, Header h)
    {
        var classes = Vocabulary.Classes(ctx.Version);
        if (value is null)
        {
            if (implied is null)
            {
                _s.Error("type.missing", path, $"{what} needs an @type ({string.Join(", ", allowed)}).");
                return false;
            }

            h.Material = implied;
            return true;
        }

        var items = new List<(JsonElement, string)>();
        var v = value.Value;
        if (v.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                items.Add((item, $"{path}[{i++}]"));
            }
        }
        else
        {
            items.Add((v, path));
        }

        var ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var semanticTable = Vocabulary.SemanticTypes(ctx.Version, ctx.Quantitative);
        foreach (var (item, ipath) in items)
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                _s.Error("type.invalid", ipath, $"@type values must be strings, not {ParseSession.Describe(item.ValueKind)}.");
                ok = false;
                continue;
            }

            var t = item.GetString()!;
            var term = t;
            if (t.StartsWith(ClassPrefix, StringComparison.Ordinal))
            {
                var semi = t.IndexOf(';', StringComparison.Ordinal);
                if (semi > 0 && t[(semi + 1)..] == ctx.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    term = t[ClassPrefix.Length..semi];
                }
            }

            term = StripStandard(term, "dtmi:standard:class:", ctx.Version);
            if (!seen.Add(term))
            {
                continue;
            }

            if (classes.ContainsKey(term))
            {
                if (Array.IndexOf(allowed, term) < 0)
                {
                    _s.Error("type.irrelevant", ipath, $"{what} must be {Or(allowed)}; '{term}' is not allowed here.");
                    ok = false;
                }
                else if (h.Material.Length > 0)
                {
                    _s.Error("type.material", ipath, $"{what} has two element types: '{h.Material}' and '{term}'.");
                    ok = false;
                }
                else
                {
                    h.Material = term;
                }

                continue;
            }

            if (semanticTable is not null && semanticTable.ContainsKey(term))
            {
                h.CoTypes.Add(term);
                if (h.SemanticType is not null)
                {
                    _s.Error("type.semantic", ipath, $"{what} has two semantic types: '{h.SemanticType}' and '{term}'.");
                    ok = false;
                }

                h.SemanticType = term;
                continue;
            }

            if (Vocabulary.DocumentedAdjunct(ctx.Extensions, term) is { } adjunct)
            {
                h.CoTypes.Add(term);
                (h.AdjunctList ??= []).Add(adjunct);
                continue;
            }

            if (Vocabulary.IsExtensionType(ctx.Extensions, term))
            {
                h.CoTypes.Add(term);
                h.ExtensionCoType = true;
                continue;
            }

            if (ctx.HasOpaqueExtension && !t.Contains(':', StringComparison.Ordinal) && !Vocabulary.IsReservedTerm(term, ctx.Version, ctx.Quantitative))
            {
                h.CoTypes.Add(term);
                h.OpaqueCoType = true;
                continue;
            }

            if (Vocabulary.IsReservedTerm(term, ctx.Version, ctx.Quantitative) || t.StartsWith("dtmi:dtdl:", StringComparison.Ordinal))
            {
                _s.Error("type.irrelevant", ipath, $"'{t}' cannot be a type of {what}.");
                ok = false;
                continue;
            }

            if (t.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                _s.Error(Dtmi.IsValid(t) ? "type.undefined" : "type.invalid", ipath, Dtmi.IsValid(t)
                    ? $"'{t}' is not a type defined by DTDL or a context in scope, so it cannot be a co-type of {what}."
                    : $"'{t}' is not a valid DTMI.");
                ok = false;
                continue;
            }

            if (ctx.Version == 2)
            {
                h.CoTypes.Add(t);
                h.Undefined = true;
                continue;
            }

            _s.Error("type.undefined", ipath, $"'{t}' is not a defined type in DTDL v{ctx.Version}; undefined co-types are allowed only in DTDL v2.");
            ok = false;
        }

        if (h.Material.Length == 0)
        {
            if (ok)
            {
                _s.Error("type.missing", path, $"@type of {what} must include {Or(allowed)}.");
            }

            return false;
        }

        return ok;
    }

    // A later-version document may embed earlier-version contents, schemas and properties, but not the parts of them
    // (map keys, fields, enum values, payloads), whose class must match the containing element's version.
    private static bool AcceptsOlder(string[] allowed) => allowed.Length > 1 || allowed[0] is "Property";

    private static string Or(string[] items) => items.Length == 1 ? $"'{items[0]}'" : string.Join(", ", items[..^1].Select(i => $"'{i}'")) + $" or '{items[^1]}'";

    private bool ReadId(JsonElement value, string path, DocContext ctx, out string? id, string what)
    {
        id = null;
        if (value.ValueKind != JsonValueKind.String)
        {
            _s.Error("id.invalid", path, $"@id of {what} must be a single string DTMI, not {ParseSession.Describe(value.ValueKind)}.");
            return false;
        }

        var text = value.GetString()!;
        if (!CheckDtmi(text, path, ctx, $"@id of {what}"))
        {
            return false;
        }

        id = text;
        return true;
    }

    private bool CheckDtmi(string text, string path, DocContext ctx, string what)
    {
        var info = Dtmi.Analyze(text);
        if (!info.Valid)
        {
            _s.Error("dtmi.invalid", path, $"{what} '{Clip(text)}' is not a valid DTMI (dtmi:segment:segment;version).");
            return false;
        }

        if (info.IsSystem)
        {
            _s.Error("dtmi.system", path, $"{what} '{Clip(text)}' has a segment starting with '_'; only user DTMIs are allowed in models.");
            return false;
        }

        if (text.Length > Dtmi.MaxUserLength)
        {
            _s.Error("dtmi.length", path, $"{what} is {text.Length} characters long; the limit is {Dtmi.MaxUserLength}.");
            return false;
        }

        if (ctx.Version == 2 && (!info.HasVersion || info.TwoPartVersion))
        {
            _s.Error("dtmi.version", path, $"{what} '{Clip(text)}' must end with a one-part version (;1) in DTDL v2.");
            return false;
        }

        if (text.StartsWith("dtmi:dtdl:", StringComparison.Ordinal) || text.StartsWith("dtmi:standard:", StringComparison.Ordinal))
        {
            _s.Error("dtmi.reserved", path, $"{what} '{Clip(text)}' uses a prefix reserved by DTDL.");
            return false;
        }

        return true;
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..77] + "...";

    // ---- literal values --------------------------------------------------------------------------------------

    /// <summary>Unwraps a single-element array and a JSON-LD value object {"@value": x}.</summary>
    private bool Unwrap(JsonElement value, string path, string what, out JsonElement result, out string resultPath, string? language = null, bool lenient = false, string? xsd = null)
    {
        result = value;
        resultPath = path;
        if (value.ValueKind == JsonValueKind.Array)
        {
            var n = value.GetArrayLength();
            if (n != 1)
            {
                _s.Error("value.count", path, $"{what} takes exactly one value, not {n}.");
                return false;
            }

            result = value[0];
            resultPath = path + "[0]";
        }

        if (result.ValueKind == JsonValueKind.Object)
        {
            JsonElement? inner = null;
            foreach (var p in result.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "@value":
                        inner = p.Value;
                        break;
                    case "@type" when IsXsdType(p.Value, xsd):
                        break;
                    case "@language" when language is not null:
                        break;
                    case not ("@value" or "@type" or "@id" or "@context" or "@graph") when lenient && p.Name.StartsWith('@'):
                        break;
                    default:
                        _s.Error("value.type", Prop(resultPath, p.Name), p.Name == "@type" ? $"{what}: @type of a value object must be the matching XML Schema datatype (xsd:{xsd ?? "string"})." : $"{what} given as an object may hold only @value and @type, not '{p.Name}'.");
                        return false;
                }
            }

            if (inner is null)
            {
                _s.Error("value.type", resultPath, $"{what} must be a literal value, not an object without @value.");
                return false;
            }

            result = inner.Value;
            resultPath = Prop(resultPath, "@value");
        }

        return true;
    }

    /// <summary>"Property 'temperature'" (or the @id, or just the class) for messages.</summary>
    private static string Label(JsonElement obj, Header h)
    {
        if (obj.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return $"{h.Material} '{Clip(name.GetString()!)}'";
        }

        return h.ExplicitId is null ? h.Material : $"{h.Material} '{Clip(h.ExplicitId)}'";
    }

    private static bool IsXsdType(JsonElement type, string? xsd)
    {
        if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() == 1)
        {
            type = type[0];
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = type.GetString()!;
        const string xsdIri = "http://www.w3.org/2001/XMLSchema#";
        var name = text.StartsWith("xsd:", StringComparison.Ordinal) ? text[4..] : text.StartsWith(xsdIri, StringComparison.Ordinal) ? text[xsdIri.Length..] : null;
        return name is not null && (xsd is null ? name is "string" or "integer" : name == xsd);
    }

    private bool ReadString(JsonElement value, string path, string what, int maxLength, out string text)
    {
        text = string.Empty;
        if (!Unwrap(value, path, what, out var v, out var vpath, lenient: _lenient, xsd: "string"))
        {
            return false;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            _s.Error("value.type", vpath, $"{what} must be a string, not {ParseSession.Describe(v.ValueKind)}.");
            return false;
        }

        text = v.GetString()!;
        if (text.Length > maxLength)
        {
            _s.Error("string.length", vpath, $"{what} is {text.Length} characters long; the limit is {maxLength}.");
            return false;
        }

        return true;
    }

    private bool ReadBool(JsonElement value, string path, string what, out bool result)
    {
        result = false;
        if (!Unwrap(value, path, what, out var v, out var vpath, lenient: _lenient, xsd: "boolean"))
        {
            return false;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _s.Error("value.type", vpath, $"{what} must be true or false, not {ParseSession.Describe(v.ValueKind)}.");
            return false;
        }

        result = v.ValueKind == JsonValueKind.True;
        return true;
    }

    private bool ReadInt(JsonElement value, string path, string what, out int result)
    {
        result = 0;
        if (!Unwrap(value, path, what, out var v, out var vpath, lenient: _lenient, xsd: "integer"))
        {
            return false;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out result))
        {
            _s.Error("value.type", vpath, $"{what} must be an integer, not {(v.ValueKind == JsonValueKind.Number ? v.GetRawText() : ParseSession.Describe(v.ValueKind))}.");
            return false;
        }

        return true;
    }

    private bool ReadName(Header h, out string name, bool required = true)
    {
        name = string.Empty;
        if (!h.Props.TryGetValue("name", out var entry))
        {
            if (required)
            {
                _s.Error("property.missing", h.Path, $"{h.Label} requires a 'name'.");
            }

            return !required;
        }

        if (!ReadString(entry.Value, entry.Path, $"name of {h.Material}", int.MaxValue, out name))
        {
            return false;
        }

        if (name.Length > h.Ctx.NameMaxLength)
        {
            _s.Error("name.length", entry.Path, $"name '{Clip(name)}' of {h.Material} is {name.Length} characters long; the limit is {h.Ctx.NameMaxLength}.");
            return false;
        }

        if (!IsValidName(name))
        {
            _s.Error("name.invalid", entry.Path, $"name '{Clip(name)}' of {h.Material} must start with a letter, contain only letters, digits and '_', and not end with '_'.");
            return false;
        }

        return true;
    }

    internal static bool IsValidName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || name[^1] == '_')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLanguageTag(string tag)
    {
        var parts = tag.Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter))
        {
            return false;
        }

        return parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    private LocalizedText? ReadLangString(JsonElement value, string path, string what, int maxLength, out bool ok)
    {
        ok = true;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool Add(string? lang, string text, string p)
        {
            if (text.Length > maxLength)
            {
                _s.Error("string.length", p, $"{what} is {text.Length} characters long; the limit is {maxLength}.");
                return false;
            }

            if (lang is not null && !IsLanguageTag(lang))
            {
                _s.Error("language.invalid", p, $"'{lang}' in {what} is not a language tag (BCP 47, e.g. 'en' or 'de-CH').");
                return false;
            }

            var key = lang ?? "en";
            if (!values.TryAdd(key, text))
            {
                _s.Error("language.duplicate", p, lang is null ? $"{what} has more than one default-language value." : $"{what} has more than one value for language '{lang}'.");
                return false;
            }

            return true;
        }

        bool ValueObject(JsonElement obj, string p)
        {
            string? text = null;
            string? lang = null;
            foreach (var prop in obj.EnumerateObject())
            {
                switch (prop.Name)
                {
                    case "@value" when prop.Value.ValueKind == JsonValueKind.String:
                        text = prop.Value.GetString();
                        break;
                    case "@language" when prop.Value.ValueKind == JsonValueKind.String:
                        lang = prop.Value.GetString();
                        break;
                    case not ("@value" or "@language" or "@id" or "@context" or "@graph") when _lenient && prop.Name.StartsWith('@'):
                        break;
                    default:
                        _s.Error("value.type", Prop(p, prop.Name), $"{what}: a language-tagged value holds only a string @value and a string @language.");
                        return false;
                }
            }

            if (text is null)
            {
                _s.Error("value.type", p, $"{what}: a language-tagged value needs a string @value.");
                return false;
            }

            return Add(lang, text, p);
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ok = Add(null, value.GetString()!, path);
                break;
            case JsonValueKind.Object:
                foreach (var prop in value.EnumerateObject())
                {
                    var p = Prop(path, prop.Name);
                    if (prop.Value.ValueKind != JsonValueKind.String)
                    {
                        _s.Error("value.type", p, $"{what} for language '{prop.Name}' must be a string, not {ParseSession.Describe(prop.Value.ValueKind)}.");
                        ok = false;
                        continue;
                    }

                    if (prop.Name.StartsWith('@') || !IsLanguageTag(prop.Name))
                    {
                        _s.Error("language.invalid", p, $"'{prop.Name}' in {what} is not a language tag (BCP 47, e.g. 'en').");
                        ok = false;
                        continue;
                    }

                    ok &= Add(prop.Name, prop.Value.GetString()!, p);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var p = $"{path}[{i++}]";
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        ok &= Add(null, item.GetString()!, p);
                    }
                    else if (item.ValueKind == JsonValueKind.Object)
                    {
                        ok &= ValueObject(item, p);
                    }
                    else
                    {
                        _s.Error("value.type", p, $"{what} values must be strings or language-tagged values, not {ParseSession.Describe(item.ValueKind)}.");
                        ok = false;
                    }
                }

                break;
            default:
                _s.Error("value.type", path, $"{what} must be a string or a language map, not {ParseSession.Describe(value.ValueKind)}.");
                ok = false;
                break;
        }

        return ok ? new LocalizedText(values) : null;
    }

    /// <summary>Reads displayName, description and comment into the element.</summary>
    private bool ReadDescriptive(Header h, ModelElement e)
    {
        var ok = true;
        if (h.Props.TryGetValue("displayName", out var dn))
        {
            e.DisplayName = ReadLangString(dn.Value, dn.Path, $"displayName of {h.Label}", h.Ctx.DisplayNameMaxLength, out var good);
            ok &= good;
        }

        if (h.Props.TryGetValue("description", out var ds))
        {
            e.Description = ReadLangString(ds.Value, ds.Path, $"description of {h.Label}", 512, out var good);
            ok &= good;
        }

        if (h.Props.TryGetValue("comment", out var cm))
        {
            ok &= ReadString(cm.Value, cm.Path, $"comment of {h.Label}", 512, out var text);
            e.Comment = text;
        }

        e.CoTypes = h.CoTypes;
        if (h.ExtensionValueMap is { Count: > 0 } values)
        {
            e.ExtensionProperties = values;
        }

        e.Path = h.Path;
        e.SourceName = _s.Source;
        return ok;
    }

    /// <summary>Enumerates a set-valued property: one item or an array of items.</summary>
    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                yield return (item, $"{path}[{i++}]");
            }
        }
        else
        {
            yield return (value, path);
        }
    }

    private bool RegisterId(string id, object element, string path)
    {
        if (_s.Ids.TryGetValue(id, out var existing))
        {
            _s.Error("id.duplicate", path, $"@id '{Clip(id)}' is already used by the element at {existing.Path}" + (existing.Source is null || existing.Source == _s.Source ? "." : $" in {existing.Source}."));
            return false;
        }

        if (_s.Known?.Find(id) is not null)
        {
            _s.Error("id.duplicate", path, $"@id '{Clip(id)}' is already defined by an accepted model.");
            return false;
        }

        _s.Ids[id] = (element, path, _s.Source);
        _s.Owners[element] = _documentRoot;
        return true;
    }
}
