#!/usr/bin/env python3
"""Generates SpecTables.g.cs from the DTDL language documents (the metamodel tables of the specification).

Usage: python3 src/Modeling/Parsing/generate-spec-tables.py [SPEC_DIR [OUTPUT]]
SPEC_DIR defaults to $TWINCLUSTER_DATA/dtdl/spec, else ../shared/data/dtdl/spec next to the repository root; OUTPUT
defaults to SpecTables.g.cs next to this script (the tests write elsewhere to check the committed file is current).

What is read, per document:
- DTDL.v2.md, DTDL.v3.md: every "| Property | Required | Data type | Limits | Description |" table under a class
  heading (## Interface, ### CommandRequest, ## Interface schemas, ...), as (class, property, required, data type,
  limits) rows; the "Semantic type | Unit type | Unit" table; which classes take a semantic type (v2: the @type rows
  that say so).
- DTDL.<extension>.v1.md: each "## X adjunct type" section: the classes named in "can co-type a ... in DTDL version 3",
  the co-types named in "but only if the ... is also co-typed Y", and its property table; the context DTMI; for
  QuantitativeTypes the classes its semantic types may co-type and its unit table.
Only the row texts are copied; SpecTables.cs interprets them (required, data type, limits). Nothing here is edited by hand.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CLASS_WORDS = ["CommandRequest", "CommandResponse", "CommandPayload", "EnumValue", "MapKey", "MapValue", "Interface",
               "Telemetry", "Property", "Command", "Relationship", "Component", "Array", "Enum", "Map", "Object", "Field"]


def spec_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    env = os.environ.get("TWINCLUSTER_DATA")
    if env:
        return os.path.join(env, "dtdl", "spec")
    root = HERE
    while not os.path.exists(os.path.join(root, "TwinCluster.sln")):
        root = os.path.dirname(root)
    return os.path.join(os.path.dirname(root), "shared", "data", "dtdl", "spec")


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read().splitlines()


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def plain(text):
    """Markdown cell to text: links to their label, no emphasis or code marks."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("*", "").replace("`", "").strip()


def tables(lines):
    """Yields (heading, header cells, rows) for every table, with the nearest heading above it."""
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            header = cells(line)
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(cells(lines[j]))
                j += 1
            yield heading, header, rows, i
            i = j
            continue
        i += 1


def class_rows(lines, version):
    out = []
    for heading, header, rows, _ in tables(lines):
        if header[:3] != ["Property", "Required", "Data type"]:
            continue
        cls = "ComplexSchemaInSchemas" if heading == "Interface schemas" else heading
        if cls not in CLASS_WORDS and cls != "ComplexSchemaInSchemas":
            continue
        limits_at = header.index("Limits") if "Limits" in header else None
        for r in rows:
            out.append((version, cls, plain(r[0]), plain(r[1]), plain(r[2]), plain(r[limits_at]) if limits_at else ""))
    return out


def unit_rows(lines):
    out = []
    for _, header, rows, _ in tables(lines):
        if header[:3] == ["Semantic type", "Unit type", "Unit"]:
            for r in rows:
                out.append((plain(r[0]), plain(r[1]), [plain(u) for u in r[2].split("<br>")]))
    return out


def named_classes(sentence):
    found = []
    for word in re.findall(r"[A-Z][A-Za-z]+", sentence):
        if word in CLASS_WORDS and word not in found:
            found.append(word)
    return found


def extension(lines, name):
    text = "\n".join(lines)
    context = re.search(r'"(dtmi:dtdl:extension:[A-Za-z]+;\d+)"', text).group(1)
    adjuncts = []
    sections = re.split(r"^## ", text, flags=re.M)
    for section in sections:
        m = re.match(r"(\w+) adjunct type\n", section)
        if not m:
            continue
        adjunct = m.group(1)
        cotype = re.search(r"can co-type (.*?) in DTDL version", section)
        only_if = re.search(r"but only if the \w+ is also co-typed (\w+)", section)
        props = []
        sec_lines = section.splitlines()
        for _, header, rows, _ in tables(sec_lines):
            if header[:3] != ["Property", "Required", "Data type"]:
                continue
            limits_at = header.index("Limits") if "Limits" in header else None
            for r in rows:
                props.append((plain(r[0]), plain(r[1]), plain(r[2]), plain(r[limits_at]) if limits_at else ""))
        adjuncts.append((adjunct, named_classes(cotype.group(1)) if cotype else [], [only_if.group(1)] if only_if else [], props))
    semantic = re.search(r"semantic types itemized below can co-type (.*?) in DTDL version", text)
    return name, context, adjuncts, named_classes(semantic.group(1)) if semantic else []


def cs(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def arr(items):
    return "[" + ", ".join(cs(i) for i in items) + "]"


def main():
    spec = spec_dir()
    v2 = read(os.path.join(spec, "v2", "DTDL.v2.md"))
    v3 = read(os.path.join(spec, "v3", "DTDL.v3.md"))
    rows = class_rows(v2, 2) + class_rows(v3, 3)
    # v2 says it in the @type row's description column ("it can also include a semantic type").
    semantic_v2 = []
    for heading, header, trows, _ in tables(v2):
        if header[:1] == ["Property"] and heading in CLASS_WORDS:
            for r in trows:
                if plain(r[0]) == "@type" and "semantic type" in r[-1] and heading not in semantic_v2:
                    semantic_v2.append(heading)
    exts = []
    for name in ["quantitativeTypes", "historization", "annotation", "overriding", "mqtt"]:
        exts.append(extension(read(os.path.join(spec, "v3", f"DTDL.{name}.v1.md")), name))

    out = []
    out.append("// <auto-generated>")
    out.append("// Generated by generate-spec-tables.py from the DTDL language documents (DTDL.v2.md, DTDL.v3.md and the")
    out.append("// v1 extension documents of QuantitativeTypes, Historization, Annotation, Overriding and Mqtt). Do not edit:")
    out.append("// run the script again. SpecTables.cs interprets these rows. Source of the tables: the DTDL language documents,")
    out.append("// Azure/opendigitaltwins-dtdl@d19669a (CC-BY-4.0).")
    out.append("// </auto-generated>")
    out.append("namespace TwinCluster.Modeling.Parsing;")
    out.append("")
    out.append("internal static partial class SpecTables")
    out.append("{")
    out.append("    /// <summary>Rows of the class property tables: DTDL version, class, property, required, data type, limits.</summary>")
    out.append("    private static readonly (int Version, string Class, string Property, string Required, string DataType, string Limits)[] s_classRows =")
    out.append("    [")
    for v, c, p, req, dt, lim in rows:
        out.append(f"        ({v}, {cs(c)}, {cs(p)}, {cs(req)}, {cs(dt)}, {cs(lim)}),")
    out.append("    ];")
    out.append("")
    out.append("    /// <summary>Classes whose @type may include a semantic type in DTDL v2 (from the @type rows).</summary>")
    out.append(f"    private static readonly string[] s_semanticClassesV2 = {arr(semantic_v2)};")
    out.append("")
    out.append("    /// <summary>Semantic types, unit types and units of DTDL v2.</summary>")
    out.append("    private static readonly (string SemanticType, string UnitType, string[] Units)[] s_unitsV2 =")
    out.append("    [")
    for s, u, units in unit_rows(v2):
        out.append(f"        ({cs(s)}, {cs(u)}, {arr(units)}),")
    out.append("    ];")
    out.append("")
    q = read(os.path.join(spec, "v3", "DTDL.quantitativeTypes.v1.md"))
    out.append("    /// <summary>Semantic types, unit types and units of the QuantitativeTypes v1 extension.</summary>")
    out.append("    private static readonly (string SemanticType, string UnitType, string[] Units)[] s_unitsQuantitative =")
    out.append("    [")
    for s, u, units in unit_rows(q):
        out.append(f"        ({cs(s)}, {cs(u)}, {arr(units)}),")
    out.append("    ];")
    out.append("")
    out.append("    /// <summary>Extensions: name, context DTMI, classes its semantic types may co-type, and its adjunct types.</summary>")
    out.append("    private static readonly (string Name, string Context, string[] SemanticClasses, (string Type, string[] CoTypes, string[] RequiresCoTypes, (string Property, string Required, string DataType, string Limits)[] Properties)[] Adjuncts)[] s_extensions =")
    out.append("    [")
    for name, ctx, adjuncts, sem in exts:
        out.append(f"        ({cs(name)}, {cs(ctx)}, {arr(sem)},")
        out.append("        [")
        for a, cot, req, props in adjuncts:
            ps = ", ".join(f"({cs(p)}, {cs(r)}, {cs(d)}, {cs(l)})" for p, r, d, l in props)
            out.append(f"            ({cs(a)}, {arr(cot)}, {arr(req)}, [{ps}]),")
        out.append("        ]),")
    out.append("    ];")
    out.append("}")
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "SpecTables.g.cs")
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {target}: {len(rows)} class rows, {sum(len(e[2]) for e in exts)} adjunct types")


if __name__ == "__main__":
    main()
