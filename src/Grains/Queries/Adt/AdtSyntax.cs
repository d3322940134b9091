using System.Collections.Immutable;

namespace TwinCluster.Grains.Queries.Adt;

// The syntax tree of one query. These small records belong together, so they share this file.

/// <summary>A parsed query: what to return, where from, and the condition.</summary>
public sealed record AdtQuery(AdtSelect Select, AdtSource Source, AdtExpression? Where);

/// <summary>The SELECT clause. <paramref name="Top"/> is TOP(n); no projections and not COUNT means <c>*</c>.</summary>
public sealed record AdtSelect(int? Top, bool Count, ImmutableArray<AdtProjection> Projections)
{
    public bool IsStar => !Count && Projections.IsEmpty;
}

/// <summary>One projected column: a collection or a property of one, with the name it takes in the row.</summary>
public sealed record AdtProjection(AdtPath Path, string Name, int Position);

/// <summary>The FROM clause.</summary>
public abstract record AdtSource;

/// <summary><c>FROM DIGITALTWINS [T] [JOIN …]</c>; <paramref name="Alias"/> is null when the collection is unnamed.</summary>
public sealed record AdtTwinSource(string? Alias, ImmutableArray<AdtJoin> Joins) : AdtSource;

/// <summary><c>FROM RELATIONSHIPS [R]</c>.</summary>
public sealed record AdtRelationshipSource(string? Alias) : AdtSource;

/// <summary><c>FROM DIGITALTWINS MATCH (a)-[…]->(b)…</c>: nodes, and the edges between consecutive nodes.</summary>
public sealed record AdtMatchSource(ImmutableArray<AdtMatchNode> Nodes, ImmutableArray<AdtMatchEdge> Edges) : AdtSource;

/// <summary><c>JOIN Target RELATED Source.Relationship [RelationshipAlias]</c>.</summary>
public sealed record AdtJoin(string Target, string Source, string Relationship, string? RelationshipAlias, int Position);

/// <summary>A node of a MATCH pattern; unnamed nodes get a name no query can write (it starts with '#').</summary>
public sealed record AdtMatchNode(string Name, bool Named, int Position);

/// <summary>Which way an edge of a MATCH pattern goes from the node on its left.</summary>
public enum AdtDirection
{
    Out,
    In,
    Either,
}

/// <summary>An edge of a MATCH pattern: relationship names (empty: any), hop range, optional relationship variable.</summary>
public sealed record AdtMatchEdge(string? Alias, ImmutableArray<string> Names, int MinHops, int MaxHops, AdtDirection Direction, int Position);

/// <summary>A condition or value.</summary>
public abstract record AdtExpression(int Position);

/// <summary>A literal value.</summary>
public sealed record AdtLiteral(AdtValue Value, int Position) : AdtExpression(Position);

/// <summary>
/// A collection (<paramref name="Members"/> empty) or a path into one: <c>T.a.b</c>, <c>T.$dtId</c>,
/// <c>T.$metadata.$model</c>. <paramref name="Collection"/> is the alias it starts with.
/// </summary>
public sealed record AdtPath(string Collection, ImmutableArray<string> Members, int Position) : AdtExpression(Position)
{
    public override string ToString() => Members.IsEmpty ? Collection : Collection + "." + string.Join('.', Members);
}

/// <summary>A comparison: = != &lt; &lt;= &gt; &gt;=.</summary>
public sealed record AdtComparison(AdtComparisonOperator Operator, AdtExpression Left, AdtExpression Right, int Position) : AdtExpression(Position);

/// <summary>Comparison operators.</summary>
public enum AdtComparisonOperator
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// <summary><c>x IN [..]</c>, or <c>x NIN [..]</c> when <paramref name="Negated"/>.</summary>
public sealed record AdtIn(AdtExpression Value, ImmutableArray<AdtValue> List, bool Negated, int Position) : AdtExpression(Position);

/// <summary>AND (<paramref name="IsAnd"/>) or OR of two or more operands.</summary>
public sealed record AdtLogical(bool IsAnd, ImmutableArray<AdtExpression> Operands, int Position) : AdtExpression(Position);

/// <summary>NOT.</summary>
public sealed record AdtNot(AdtExpression Operand, int Position) : AdtExpression(Position);

/// <summary>IS_OF_MODEL(collection, model [, exact]).</summary>
public sealed record AdtIsOfModel(string Collection, string ModelId, bool Exact, int Position) : AdtExpression(Position);

/// <summary>A function of values: IS_DEFINED, IS_NULL, IS_BOOL, …, STARTSWITH, ENDSWITH, CONTAINS (upper-case name).</summary>
public sealed record AdtFunction(string Name, ImmutableArray<AdtExpression> Arguments, int Position) : AdtExpression(Position);
