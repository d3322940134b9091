using System.Collections.Immutable;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Runs one parsed query. A plain twin query reads candidates from the index (model set and property comparisons
/// pushed down, the rest evaluated on the index entries) and reads twin grains only for the rows it returns; JOIN,
/// MATCH and FROM RELATIONSHIPS start from the twins picked by <c>$dtId</c> and step along relationships
/// (<see cref="AdtGraph"/>: down <c>contains</c> through the index, anything else through the twin grains).
/// Rows come in a stable key order (twin id, then the ids along the row), so a page resumes after the last key.
/// </summary>
public sealed class AdtQueryRunner(AdtQuery query, AdtEvaluator evaluator, AdtGraph graph, AdtTwinScan scan)
{
    /// <summary>The most rows (or twins read) a JOIN or MATCH query may build before it is refused.</summary>
    public const int MaxGraphRows = 100_000;

    /// <summary>The most starting twins of a JOIN, MATCH or relationship query that names no $dtId.</summary>
    public const int MaxUnanchoredStarts = 1_000;

    /// <summary>The twins the caller may read, or null for all: rows touching any other twin are left out.</summary>
    public IReadOnlySet<string>? Readable { get; init; }

    /// <summary>The collection names in the order that makes up a row's key.</summary>
    public IReadOnlyList<string> KeyNames { get; } = query.Source switch
    {
        AdtTwinSource t => [t.Alias ?? AdtParser.ImplicitCollection, .. t.Joins.Select(j => j.Target), .. t.Joins.Select(j => j.RelationshipAlias).OfType<string>()],
        AdtRelationshipSource r => [r.Alias ?? AdtParser.ImplicitCollection],
        AdtMatchSource m => [.. m.Nodes.Select(n => n.Name), .. m.Edges.Select(e => e.Alias).OfType<string>()],
        _ => [],
    };

    /// <summary>Rows in key order after <paramref name="afterKey"/>, at most <paramref name="limit"/>.</summary>
    public async Task<List<(string Key, AdtRow Row)>> Rows(string? afterKey, int limit) => query.Source switch
    {
        AdtTwinSource { Joins.IsEmpty: true } t => await ScanTwins(t.Alias ?? AdtParser.ImplicitCollection, afterKey, limit),
        AdtRelationshipSource r => await Relationships(r.Alias ?? AdtParser.ImplicitCollection, afterKey, limit),
        _ => Page([.. (await GraphRows()).Where(r => Visible(r.Item2))], afterKey, limit),
    };

    private async Task<List<(string, AdtRow)>> ScanTwins(string alias, string? after, int limit)
    {
        var push = AdtPushdown.For(query.Where, alias);
        var rows = new List<(string, AdtRow)>();
        if (push.Ids is { } ids)
        {
            foreach (var entry in await scan.Find(ids.Where(id => after is null || string.CompareOrdinal(id, after) > 0)))
            {
                if (Accept(rows, new AdtRow(alias, new AdtTwin(entry)), entry.TwinId, limit))
                {
                    break;
                }
            }

            return rows;
        }

        ImmutableHashSet<string>? models = null;
        if (push.ModelId is { } model)
        {
            models = push.IncludeSubtypes ? [.. evaluator.ModelSet(model)] : [model];
        }

        await foreach (var entry in scan.Entries(models, push.Filters, after, limit == int.MaxValue ? AdtTwinScan.MaxRound : limit))
        {
            if (Accept(rows, new AdtRow(alias, new AdtTwin(entry)), entry.TwinId, limit))
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>Adds the row when it matches; true when the list is full.</summary>
    private bool Accept(List<(string, AdtRow)> rows, AdtRow row, string key, int limit)
    {
        if (Visible(row) && evaluator.Matches(query.Where, row))
        {
            rows.Add((key, row));
        }

        return rows.Count >= limit;
    }

    private async Task<List<(string, AdtRow)>> Relationships(string alias, string? after, int limit)
    {
        var rows = new List<(string, AdtRow)>();
        var sources = Ids(alias, "$sourceId");
        var targets = Ids(alias, "$targetId");
        if (sources is not null || targets is not null)
        {
            List<Relationship> found;
            if (sources is not null)
            {
                found = [.. (await graph.Twins(sources)).SelectMany(t => t.Snapshot!.Relationships)];
            }
            else
            {
                found = [.. (await graph.Step(await graph.Twins(targets!), AdtDirection.In, [], needRelationship: true)).Select(s => s.Relationship!)];
            }

            var candidates = found.Select(r => new AdtRelationship(r)).Select(r => (r.Key, Row: new AdtRow(alias, r)));
            return Page([.. candidates.Where(c => Visible(c.Row) && evaluator.Matches(query.Where, c.Row))], after, limit);
        }

        // Every twin's relationships, twin by twin in id order; a page resumes inside the twin it stopped at.
        var resumeAt = after?.Split('\u0001')[0];
        var batch = new List<string>();
        if (resumeAt is not null)
        {
            batch.Add(resumeAt);
        }

        await foreach (var entry in scan.Entries(null, [], resumeAt, 256))
        {
            batch.Add(entry.TwinId);
            if (batch.Count >= 64 && await RelationshipsOf(batch, alias, after, rows, limit))
            {
                return rows;
            }
        }

        await RelationshipsOf(batch, alias, after, rows, limit);
        return rows;
    }

    private async Task<bool> RelationshipsOf(List<string> twinIds, string alias, string? after, List<(string, AdtRow)> rows, int limit)
    {
        foreach (var twin in await graph.Twins(twinIds))
        {
            foreach (var relationship in twin.Snapshot!.Relationships)
            {
                var item = new AdtRelationship(relationship);
                if ((after is null || string.CompareOrdinal(item.Key, after) > 0) && Accept(rows, new AdtRow(alias, item), item.Key, limit))
                {
                    return true;
                }
            }
        }

        twinIds.Clear();
        return false;
    }

    private async Task<List<(string, AdtRow)>> GraphRows()
    {
        List<AdtRow> rows = query.Source switch
        {
            AdtTwinSource t => await Joins(t),
            AdtMatchSource m => await Match(m),
            _ => [],
        };
        return [.. rows.Where(r => evaluator.Matches(query.Where, r)).Select(r => (r.Key(KeyNames), r))];
    }

    private async Task<List<AdtRow>> Joins(AdtTwinSource source)
    {
        var root = source.Alias!;
        var names = (IEnumerable<string>)[root, .. source.Joins.Select(j => j.Target)];
        List<AdtTwin> roots;
        if (Anchor(names) is ({ } name, { } ids))
        {
            // Picked further down the chain: walk the relationships back to the root first.
            var twins = await graph.Twins(ids);
            var byTarget = source.Joins.ToDictionary(j => j.Target, StringComparer.Ordinal);
            while (name != root)
            {
                var join = byTarget[name];
                twins = [.. (await graph.Step(twins, AdtDirection.In, [join.Relationship], needRelationship: false)).Select(s => s.Other).DistinctBy(t => t.Id)];
                name = join.Source;
            }

            roots = twins;
        }
        else
        {
            roots = await Starts(root);
        }

        var rows = roots.Select(t => new AdtRow(root, t)).ToList();
        foreach (var join in source.Joins)
        {
            var froms = rows.Select(r => (AdtTwin)r[join.Source]!).DistinctBy(t => t.Id).ToList();
            var steps = (await graph.Step(froms, AdtDirection.Out, [join.Relationship], join.RelationshipAlias is not null)).ToLookup(s => s.FromId, StringComparer.Ordinal);
            rows = [.. rows.SelectMany(row => steps[((AdtTwin)row[join.Source]!).Id].Select(step =>
            {
                var next = row.With(join.Target, step.Other);
                return join.RelationshipAlias is { } r ? next.With(r, new AdtRelationship(step.Relationship!)) : next;
            }))];
            CheckSize(rows.Count);
        }

        return rows;
    }

    private async Task<List<AdtRow>> Match(AdtMatchSource match)
    {
        var named = match.Nodes.Where(n => n.Named).Select(n => n.Name).ToList();
        int start;
        List<AdtTwin> starts;
        if (Anchor(named) is ({ } name, { } ids))
        {
            start = match.Nodes.IndexOf(match.Nodes.First(n => n.Name == name));
            starts = await graph.Twins(ids);
        }
        else if (match.Nodes[0].Named)
        {
            start = 0;
            starts = await Starts(match.Nodes[0].Name);
        }
        else
        {
            throw AdtLexer.Error(match.Nodes[0].Position, "MATCH needs a named twin picked by $dtId in WHERE, e.g. MATCH (a)-[:contains]->(b) WHERE a.$dtId = 'x'");
        }

        var rows = starts.Select(t => new AdtRow(match.Nodes[start].Name, t)).ToList();
        for (var i = start; i < match.Edges.Length; i++)
        {
            rows = await Extend(rows, match.Nodes[i].Name, match.Edges[i], match.Edges[i].Direction, match.Nodes[i + 1].Name);
        }

        for (var i = start; i > 0; i--)
        {
            var edge = match.Edges[i - 1];
            var back = edge.Direction switch { AdtDirection.Out => AdtDirection.In, AdtDirection.In => AdtDirection.Out, _ => AdtDirection.Either };
            rows = await Extend(rows, match.Nodes[i].Name, edge, back, match.Nodes[i - 1].Name);
        }

        return rows;
    }

    private async Task<List<AdtRow>> Extend(List<AdtRow> rows, string from, AdtMatchEdge edge, AdtDirection direction, string to)
    {
        var froms = rows.Select(r => (AdtTwin)r[from]!).DistinctBy(t => t.Id).ToList();
        List<AdtRow> result;
        if (edge is { MinHops: 1, MaxHops: 1 })
        {
            var steps = (await graph.Step(froms, direction, edge.Names, edge.Alias is not null)).ToLookup(s => s.FromId, StringComparer.Ordinal);
            result = [.. rows.SelectMany(row => steps[((AdtTwin)row[from]!).Id].Select(step =>
            {
                var next = row.With(to, step.Other);
                return edge.Alias is { } r ? next.With(r, new AdtRelationship(step.Relationship!)) : next;
            }))];
        }
        else
        {
            var reach = new Dictionary<string, List<AdtTwin>>(StringComparer.Ordinal);
            foreach (var twin in froms)
            {
                reach[twin.Id] = await Reach(twin, edge, direction);
            }

            result = [.. rows.SelectMany(row => reach[((AdtTwin)row[from]!).Id].Select(t => row.With(to, t)))];
        }

        CheckSize(result.Count);
        return result;
    }

    /// <summary>The twins at MinHops to MaxHops steps from <paramref name="from"/>, each once, nearest first.</summary>
    private async Task<List<AdtTwin>> Reach(AdtTwin from, AdtMatchEdge edge, AdtDirection direction)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal) { from.Id };
        var frontier = new List<AdtTwin> { from };
        var found = new List<AdtTwin>();
        for (var depth = 1; depth <= edge.MaxHops && frontier.Count > 0; depth++)
        {
            frontier = [.. (await graph.Step(frontier, direction, edge.Names, needRelationship: false)).Select(s => s.Other).Where(t => visited.Add(t.Id))];
            if (depth >= edge.MinHops)
            {
                found.AddRange(frontier);
            }

            CheckSize(visited.Count);
        }

        return found;
    }

    /// <summary>The first of <paramref name="names"/> that WHERE picks by $dtId (= or IN), with the ids.</summary>
    private (string Name, ImmutableSortedSet<string> Ids)? Anchor(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (AdtPushdown.For(query.Where, name).Ids is { } ids)
            {
                return (name, ids);
            }
        }

        return null;
    }

    /// <summary>Starting twins found through the index when no $dtId picks them; refused past a limit.</summary>
    private async Task<List<AdtTwin>> Starts(string alias)
    {
        var push = AdtPushdown.For(query.Where, alias);
        ImmutableHashSet<string>? models = push.ModelId is { } model ? (push.IncludeSubtypes ? [.. evaluator.ModelSet(model)] : [model]) : null;
        var ids = new List<string>();
        await foreach (var entry in scan.Entries(models, push.Filters, null, MaxUnanchoredStarts + 1))
        {
            ids.Add(entry.TwinId);
            if (ids.Count > MaxUnanchoredStarts)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, $"this query starts from more than {MaxUnanchoredStarts:N0} twins of '{alias}'; pick them with {alias}.$dtId = '…' (or IN [...]) or narrow them in WHERE");
            }
        }

        return await graph.Twins(ids);
    }

    private ImmutableSortedSet<string>? Ids(string alias, string member)
    {
        ImmutableSortedSet<string>? ids = null;
        foreach (var term in AdtPushdown.Conjuncts(query.Where))
        {
            IEnumerable<string>? values = term switch
            {
                AdtComparison c when AdtPushdown.Normalize(c) is ({ } p, AdtComparisonOperator.Eq, { Kind: AdtValueKind.String } v)
                    && p.Collection == alias && p.Members is [var m] && m == member => [v.Text!],
                AdtIn { Negated: false, Value: AdtPath { Members: [var m] } p } @in when p.Collection == alias && m == member
                    && @in.List.All(v => v.Kind == AdtValueKind.String) => @in.List.Select(v => v.Text!),
                _ => null,
            };
            if (values is not null)
            {
                var set = values.ToImmutableSortedSet(StringComparer.Ordinal);
                ids = ids is null ? set : ids.Intersect(set);
            }
        }

        return ids;
    }

    private void CheckSize(int count)
    {
        if (count > MaxGraphRows || graph.Count > MaxGraphRows)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"this query reaches more than {MaxGraphRows:N0} rows or twins; pick fewer starting twins or fewer hops");
        }
    }

    private bool Visible(AdtRow row) => Readable is null || row.Items.All(item => item switch
    {
        AdtTwin twin => Readable.Contains(twin.Id),
        AdtRelationship r => Readable.Contains(r.Relationship.SourceId) && Readable.Contains(r.Relationship.TargetId),
        _ => true,
    });

    private static List<(string, AdtRow)> Page(List<(string Key, AdtRow Row)> rows, string? after, int limit) =>
        [.. rows.Where(r => after is null || string.CompareOrdinal(r.Key, after) > 0)
            .DistinctBy(r => r.Key)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Take(limit)];
}
