using System.Globalization;
using System.Text;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Client.Health;

/// <summary>Plain-text renderings of health, alerts and change events for the CLI (and logs).</summary>
public static class HealthText
{
    /// <summary>
    /// The explained tree: the root's explanation, then one line per twin with status, index and, where it is not
    /// normal, why; open alerts are marked with their number and whether someone acknowledged them.
    /// </summary>
    public static string Tree(HealthNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        text.AppendLine(root.Health.Explain());
        Lines(root, "", "", text);
        return text.ToString();
    }

    /// <summary>One line for a twin: id, status, index, and the reason when it is not normal.</summary>
    public static string Line(HealthNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var h = node.Health;
        var ci = CultureInfo.InvariantCulture;
        var line = new StringBuilder();
        line.Append(ci, $"{node.TwinId}  {h.Status}");
        if (h.Index is { } index)
        {
            line.Append(ci, $"  {index:0.00}");
        }

        if (h.Status is HealthStatus.Warning or HealthStatus.Alarm)
        {
            line.Append("  ").Append(h.SourceId == h.TwinId ? h.Summary : $"{h.SourceLabel} {h.SourceId}: {h.Summary}");
        }
        else if (h.Status == HealthStatus.Normal && h.Monitored > 1)
        {
            line.Append(ci, $"  ({h.Monitored} monitored)");
        }

        if (h.OpenAlert is { } alert)
        {
            line.Append("  ").Append(Marker(alert));
        }

        return line.ToString();
    }

    /// <summary>"[alert 3 Alarm, acknowledged by ops]" or "[alert 3 Alarm, not acknowledged]".</summary>
    public static string Marker(TwinAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.IsAcknowledged
            ? $"[alert {alert.Number} {alert.Level}, acknowledged by {alert.AcknowledgedBy}]"
            : $"[alert {alert.Number} {alert.Level}, not acknowledged]";
    }

    /// <summary>One line for a change event: time, twin, what changed, and the new state in words.</summary>
    public static string Change(TwinChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var at = change.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var what = change.Kind switch
        {
            TwinChangeKind.Health when change.Health is { } h => h.Explain(),
            _ when change.Alert is { } a => $"{change.TwinId} alert {a.Number} {Kind(change.Kind)} ({a.Level})" +
                (change.Kind == TwinChangeKind.AlertAcknowledged ? $" by {a.AcknowledgedBy}{(a.Note is null ? "" : ": " + a.Note)}" : ": " + a.Explanation),
            _ => change.TwinId,
        };
        return $"{at}  {what}";
    }

    /// <summary>The kebab-case name of a change kind, as <c>twin watch --kind</c> takes it.</summary>
    public static string Kind(TwinChangeKind kind) => kind switch
    {
        TwinChangeKind.Health => "health",
        TwinChangeKind.AlertRaised => "raised",
        TwinChangeKind.AlertEscalated => "escalated",
        TwinChangeKind.AlertEased => "eased",
        TwinChangeKind.AlertAcknowledged => "acknowledged",
        TwinChangeKind.AlertCleared => "cleared",
        _ => kind.ToString(),
    };

    private static void Lines(HealthNode node, string indent, string childIndent, StringBuilder text)
    {
        text.Append(indent).AppendLine(Line(node));
        for (var i = 0; i < node.Children.Length; i++)
        {
            var last = i == node.Children.Length - 1;
            Lines(node.Children[i], childIndent + (last ? "└── " : "├── "), childIndent + (last ? "    " : "│   "), text);
        }
    }
}
