using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>One row of the fleet tree: a twin, its health, and its children once they are loaded.</summary>
public sealed class FleetNode(string id, string modelId, int depth)
{
    public string Id { get; } = id;

    public string ModelId { get; set; } = modelId;

    public int Depth { get; } = depth;

    public TwinHealth? Health { get; set; }

    public FleetNode? Parent { get; init; }

    /// <summary>Null until loaded.</summary>
    public List<FleetNode>? Children { get; set; }

    /// <summary>True when the twin contains others (known once loaded; assumed for farms and turbines before).</summary>
    public bool MayHaveChildren { get; set; } = true;

    public bool Expanded { get; set; }

    public HealthStatus Status => Health?.Status ?? HealthStatus.Unknown;

    /// <summary>Why the row has its status: <see cref="FleetTree.Why"/> of its health.</summary>
    public string Why => FleetTree.Why(Health);
}

/// <summary>
/// The fleet page's model, apart from the page: the containment tree with children loaded lazily, each level ordered
/// worst first (alarm, warning, normal, unknown; then lowest health index; then id), the visible rows flattened for a
/// virtualised list, and live health applied by twin id.
/// </summary>
public sealed class FleetTree
{
    private readonly Dictionary<string, FleetNode> _nodes = new(StringComparer.Ordinal);

    public List<FleetNode> Roots { get; } = [];

    /// <summary>Twins known to the tree (loaded rows).</summary>
    public int Count => _nodes.Count;

    /// <summary>Worst first: status descending (Unknown last), then health index ascending, then id.</summary>
    public static int Compare(FleetNode a, FleetNode b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var rank = Rank(b.Status).CompareTo(Rank(a.Status));
        if (rank != 0)
        {
            return rank;
        }

        var ia = a.Health?.Index ?? double.PositiveInfinity;
        var ib = b.Health?.Index ?? double.PositiveInfinity;
        var index = ia.CompareTo(ib);
        return index != 0 ? index : string.CompareOrdinal(a.Id, b.Id);
    }

    private static int Rank(HealthStatus status) => status switch
    {
        HealthStatus.Alarm => 3,
        HealthStatus.Warning => 2,
        HealthStatus.Normal => 1,
        _ => 0,
    };

    /// <summary>
    /// Why a twin has its status, in the words of the component that decides it: the health's explanation without the
    /// twin id and status that the row shows beside it, e.g. "Generator bearing wt-01-gen-de: outer-race defect
    /// (confidence 0.95), BPFO line +21 dB with 3 harmonics, …" or "all 7 monitored components normal; lowest health
    /// 0.89 at Main bearing wt-01-mb".
    /// </summary>
    public static string Why(TwinHealth? health)
    {
        if (health is null)
        {
            return "no health reported yet";
        }

        var text = health.Explain();
        var prefix = health.TwinId + " " + health.Status.ToString() + ": ";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
    }

    /// <summary>Condition pages for monitored components (bearings, gearboxes, generators), twin pages for the rest.</summary>
    public static string LinkOf(string id, string modelId)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(modelId);
        var monitored = modelId.Contains("Bearing", StringComparison.OrdinalIgnoreCase) || modelId.Contains("Gearbox", StringComparison.OrdinalIgnoreCase)
            || modelId.Contains("Generator", StringComparison.OrdinalIgnoreCase);
        return (monitored ? "/condition/" : "/twin/") + Uri.EscapeDataString(id);
    }

    /// <summary>Replaces the roots.</summary>
    public void SetRoots(IEnumerable<(string Id, string ModelId, TwinHealth? Health)> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        Roots.Clear();
        _nodes.Clear();
        foreach (var (id, model, health) in roots)
        {
            var node = new FleetNode(id, model, 0) { Health = health };
            Roots.Add(node);
            _nodes[id] = node;
        }

        Roots.Sort(Compare);
    }

    /// <summary>Sets a node's children (ids and models, with the health they last reported, if any).</summary>
    public void SetChildren(FleetNode parent, IEnumerable<(string Id, string ModelId, TwinHealth? Health)> children)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(children);
        var list = new List<FleetNode>();
        foreach (var (id, model, health) in children)
        {
            var node = new FleetNode(id, model, parent.Depth + 1) { Health = health, Parent = parent };
            list.Add(node);
            _nodes[id] = node;
        }

        list.Sort(Compare);
        parent.Children = list;
        parent.MayHaveChildren = list.Count > 0;
    }

    /// <summary>The node of a twin if loaded.</summary>
    public FleetNode? Find(string id) => _nodes.GetValueOrDefault(id);

    /// <summary>The rows to show: roots and the children of expanded nodes, depth first.</summary>
    public List<FleetNode> Visible()
    {
        var rows = new List<FleetNode>(Math.Min(_nodes.Count, 100_000));
        var stack = new Stack<FleetNode>();
        for (var i = Roots.Count - 1; i >= 0; i--)
        {
            stack.Push(Roots[i]);
        }

        while (stack.Count > 0)
        {
            var node = stack.Pop();
            rows.Add(node);
            if (node.Expanded && node.Children is { } children)
            {
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Applies live health changes to the loaded rows (older versions are ignored) and re-sorts the levels they are
    /// in; returns true when anything shown changed.
    /// </summary>
    public bool Apply(IEnumerable<TwinChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var touched = new HashSet<FleetNode?>();
        foreach (var change in changes)
        {
            var health = change.Kind == TwinChangeKind.Health ? change.Health : null;
            if (health is null || !_nodes.TryGetValue(change.TwinId, out var node))
            {
                continue;
            }

            if (node.Health is { } old && old.Since == health.Since && old.Version > health.Version)
            {
                continue;
            }

            node.Health = health;
            touched.Add(node.Parent);
        }

        foreach (var parent in touched)
        {
            (parent?.Children ?? Roots).Sort(Compare);
        }

        return touched.Count > 0;
    }
}
