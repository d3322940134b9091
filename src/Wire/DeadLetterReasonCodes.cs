namespace TwinCluster.Wire;

/// <summary>The stable string codes of <see cref="DeadLetterReason"/> (stored, counted and shown to operators).</summary>
public static class DeadLetterReasonCodes
{
    private static readonly Dictionary<DeadLetterReason, string> Codes = new()
    {
        [DeadLetterReason.UnknownTwin] = "unknown-twin",
        [DeadLetterReason.TwinMismatch] = "twin-mismatch",
        [DeadLetterReason.MalformedJson] = "malformed-json",
        [DeadLetterReason.MalformedBinary] = "malformed-binary",
        [DeadLetterReason.UnknownTelemetry] = "unknown-telemetry",
        [DeadLetterReason.SchemaMismatch] = "schema-mismatch",
        [DeadLetterReason.UnitMismatch] = "unit-mismatch",
        [DeadLetterReason.NonFinite] = "non-finite",
        [DeadLetterReason.TimestampFuture] = "timestamp-future",
        [DeadLetterReason.TimestampPast] = "timestamp-past",
        [DeadLetterReason.TooLarge] = "too-large",
        [DeadLetterReason.DuplicateSeq] = "duplicate-seq",
        [DeadLetterReason.UnsupportedContentType] = "unsupported-content-type",
        [DeadLetterReason.InvalidTopic] = "invalid-topic",
        [DeadLetterReason.UnknownFormat] = "unknown-format",
        [DeadLetterReason.NotAuthorized] = "not-authorized",
    };

    private static readonly Dictionary<string, DeadLetterReason> Reasons =
        Codes.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every reason, in enum order.</summary>
    public static IReadOnlyList<DeadLetterReason> All { get; } = [.. Codes.Keys.Order()];

    /// <summary>The stable code of <paramref name="reason"/>, e.g. <c>duplicate-seq</c>.</summary>
    public static string ToCode(this DeadLetterReason reason) =>
        Codes.TryGetValue(reason, out var code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown dead-letter reason");

    /// <summary>The reason whose code is <paramref name="code"/>, if any.</summary>
    public static bool TryParse(string? code, out DeadLetterReason reason)
    {
        reason = default;
        return code is not null && Reasons.TryGetValue(code, out reason);
    }
}
