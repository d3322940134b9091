using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// What the index (or a direct lookup) can do for one collection, taken from the WHERE clause's top-level AND terms:
/// a model (with subtypes unless exact), property comparisons with literals, and <c>$dtId</c> equality or IN. The
/// full condition is still evaluated on every candidate, so this only narrows, never decides.
/// </summary>
public sealed record AdtPushdown(string? ModelId, bool IncludeSubtypes, ImmutableArray<PropertyFilter> Filters, ImmutableSortedSet<string>? Ids)
{
    /// <summary>The deepest property path the index flattens.</summary>
    private const int MaxIndexedDepth = 8;

    public static AdtPushdown For(AdtExpression? where, string collection)
    {
        string? model = null;
        var subtypes = false;
        var filters = ImmutableArray.CreateBuilder<PropertyFilter>();
        ImmutableSortedSet<string>? ids = null;
        foreach (var term in Conjuncts(where))
        {
            switch (term)
            {
                case AdtIsOfModel m when m.Collection == collection && model is null:
                    (model, subtypes) = (m.ModelId, !m.Exact);
                    break;
                case AdtIn { Negated: false, Value: AdtPath { Members: ["$dtId"] } p } @in when p.Collection == collection
                    && @in.List.All(v => v.Kind == AdtValueKind.String):
                    ids = Intersect(ids, @in.List.Select(v => v.Text!));
                    break;
                case AdtComparison c when Normalize(c) is ({ } path, var op, var value) && path.Collection == collection:
                    if (path.Members is ["$dtId"] && op == AdtComparisonOperator.Eq && value.Kind == AdtValueKind.String)
                    {
                        ids = Intersect(ids, [value.Text!]);
                    }
                    else if (path.Members is ["$metadata", "$model"] && op == AdtComparisonOperator.Eq && value.Kind == AdtValueKind.String && model is null)
                    {
                        (model, subtypes) = (value.Text, false);
                    }
                    else if (Indexable(path, op, value) is { } filter)
                    {
                        filters.Add(filter);
                    }

                    break;
            }
        }

        return new AdtPushdown(model, subtypes, filters.ToImmutable(), ids);
    }

    /// <summary>The terms of a top-level AND (the condition itself when it is not an AND).</summary>
    public static IEnumerable<AdtExpression> Conjuncts(AdtExpression? where) => where switch
    {
        null => [],
        AdtLogical { IsAnd: true } and => and.Operands.SelectMany(Conjuncts),
        _ => [where],
    };

    /// <summary>A comparison of a path with a literal, the path on the left.</summary>
    public static (AdtPath Path, AdtComparisonOperator Op, AdtValue Value)? Normalize(AdtComparison comparison) => comparison switch
    {
        { Left: AdtPath p, Right: AdtLiteral l } => (p, comparison.Operator, l.Value),
        { Left: AdtLiteral l, Right: AdtPath p } => (p, Flip(comparison.Operator), l.Value),
        _ => null,
    };

    private static PropertyFilter? Indexable(AdtPath path, AdtComparisonOperator op, AdtValue value)
    {
        if (path.Members.IsEmpty || path.Members.Length > MaxIndexedDepth || path.Members.Any(m => m.StartsWith('$') || m.Contains('.', StringComparison.Ordinal)))
        {
            return null;
        }

        // The index's != also passes values of another kind, which ADT does not, so != stays with the evaluator.
        FilterOperator? filter = op switch
        {
            AdtComparisonOperator.Eq => FilterOperator.Eq,
            AdtComparisonOperator.Lt => FilterOperator.Lt,
            AdtComparisonOperator.Le => FilterOperator.Le,
            AdtComparisonOperator.Gt => FilterOperator.Gt,
            AdtComparisonOperator.Ge => FilterOperator.Ge,
            _ => null,
        };
        var usable = value.Kind is AdtValueKind.Number or AdtValueKind.String || (value.Kind == AdtValueKind.Bool && op == AdtComparisonOperator.Eq);
        return filter is { } f && usable ? new PropertyFilter(string.Join('.', path.Members), f, value.ToJson()) : null;
    }

    private static AdtComparisonOperator Flip(AdtComparisonOperator op) => op switch
    {
        AdtComparisonOperator.Lt => AdtComparisonOperator.Gt,
        AdtComparisonOperator.Le => AdtComparisonOperator.Ge,
        AdtComparisonOperator.Gt => AdtComparisonOperator.Lt,
        AdtComparisonOperator.Ge => AdtComparisonOperator.Le,
        _ => op,
    };

    private static ImmutableSortedSet<string> Intersect(ImmutableSortedSet<string>? ids, IEnumerable<string> more)
    {
        var set = more.ToImmutableSortedSet(StringComparer.Ordinal);
        return ids is null ? set : ids.Intersect(set);
    }
}
