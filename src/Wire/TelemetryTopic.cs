
namespace TwinCluster.Wire;

/// <summary>A parsed device topic: <c>twins/{twinId}/telemetry</c> or <c>twins/{twinId}/properties</c>.</summary>
public readonly record struct TelemetryTopic(TwinId TwinId, TopicKind Kind)
{
    /// <summary>The first topic level.</summary>
    public const string Root = "twins";

    /// <summary>The last level of a telemetry topic.</summary>
    public const string TelemetrySegment = "telemetry";

    /// <summary>The last level of a reported-properties topic.</summary>
    public const string PropertiesSegment = "properties";

    /// <summary>
    /// Parses a topic. Exactly three levels, case-sensitive; the middle one must be a valid <see cref="TwinId"/>.
    /// Never throws.
    /// </summary>
    public static bool TryParse(string? topic, out TelemetryTopic result)
    {
        result = default;
        if (topic is null || topic.Length > Root.Length + TwinId.MaxLength + PropertiesSegment.Length + 2
            || !topic.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(Root.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var last = rest[(slash + 1)..];
        TopicKind kind;
        if (last.SequenceEqual(TelemetrySegment))
        {
            kind = TopicKind.Telemetry;
        }
        else if (last.SequenceEqual(PropertiesSegment))
        {
            kind = TopicKind.Properties;
        }
        else
        {
            return false;
        }

        if (!TwinId.TryParse(rest[..slash].ToString(), out var id))
        {
            return false;
        }

        result = new TelemetryTopic(id, kind);
        return true;
    }

    /// <summary>The topic a twin publishes <paramref name="kind"/> messages on.</summary>
    public static string Format(TwinId twinId, TopicKind kind) => kind switch
    {
        TopicKind.Telemetry => $"{Root}/{twinId.Value}/{TelemetrySegment}",
        TopicKind.Properties => $"{Root}/{twinId.Value}/{PropertiesSegment}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown topic kind"),
    };

    /// <summary>This topic as text.</summary>
    public override string ToString() => Format(TwinId, Kind);
}
