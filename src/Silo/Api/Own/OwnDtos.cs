using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Own;

/// <summary>A twin's explained health and the tree below it, as <c>twin health --json</c> prints it.</summary>
public sealed record HealthNodeDto(
    string Id, string Model, string Status, double? Index, string Explanation, string? Source, IReadOnlyList<string> SourcePath,
    string? Fault, double? RulSeconds, double? RulBandSeconds, int Monitored, int Alarms, int Warnings, AlertDto? Alert,
    IReadOnlyList<HealthNodeDto> Children, string? SourceLabel = null, string? Summary = null)
{
    public static HealthNodeDto From(TwinHealth h, string modelId, IReadOnlyList<HealthNodeDto> children) => new(
        h.TwinId, modelId, h.Status.ToString(), h.Index, h.Explain(), h.SourceId, h.SourcePath.IsDefault ? [] : h.SourcePath, h.Fault,
        h.RulSeconds, h.RulBandSeconds, h.Monitored, h.Alarms, h.Warnings, h.OpenAlert is { } a ? AlertDto.From(a) : null, children,
        h.SourceLabel, h.Summary);
}

/// <summary>A component's alert.</summary>
public sealed record AlertDto(
    string Twin, long Number, string Level, string PeakLevel, bool Open, DateTimeOffset RaisedAt, DateTimeOffset ChangedAt, string Explanation,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Note, DateTimeOffset? ClearedAt)
{
    public static AlertDto From(TwinAlert a) => new(
        a.TwinId, a.Number, a.Level.ToString(), a.PeakLevel.ToString(), a.IsOpen, a.RaisedAt, a.ChangedAt, a.Explanation,
        a.AcknowledgedBy, a.AcknowledgedAt, a.Note, a.ClearedAt);
}

/// <summary>The body of an acknowledgement: who, and a note kept with it.</summary>
public sealed record AcknowledgeRequest(string? By, string? Note);

/// <summary>One change of the live stream (the data of an SSE event; its id is <c>epoch:seq</c>).</summary>
public sealed record ChangeDto(long Seq, string Kind, string Twin, IReadOnlyList<string> Path, DateTimeOffset At, string? Status, double? Index,
    string? Explanation, AlertDto? Alert)
{
    public static ChangeDto From(TwinChange c) => new(
        c.Seq, KindName(c.Kind), c.TwinId, c.Path.IsDefault ? [] : c.Path, c.At, c.Health?.Status.ToString(), c.Health?.Index, c.Health?.Explain(),
        c.Alert is { } a ? AlertDto.From(a) : null);

    public static string KindName(TwinChangeKind kind) => kind switch
    {
        TwinChangeKind.Health => "health",
        TwinChangeKind.AlertRaised => "raised",
        TwinChangeKind.AlertEscalated => "escalated",
        TwinChangeKind.AlertEased => "eased",
        TwinChangeKind.AlertAcknowledged => "acknowledged",
        TwinChangeKind.AlertCleared => "cleared",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>Sent when the stream could not deliver some events (the feed no longer kept them, or it restarted).</summary>
public sealed record MissedDto(long Missed, string Reason);

/// <summary>What a twin has applied of its telemetry, as <c>twin telemetry show</c> prints it.</summary>
public sealed record TelemetryStatusDto(
    string Twin, long Applied, long LastSeq, long FilledFromLog, long DuplicatesIgnored, long Skipped, long Refused, long Samples,
    DateTimeOffset? LastAppliedAt, IReadOnlyDictionary<string, TelemetryReading> Latest, double? ApplyDelayP50Ms, double? ApplyDelayP99Ms,
    double? EndToEndP50Ms, double? EndToEndP99Ms, string? Condition, double? Health, string? Alert, long WindowsAnalysed,
    long ApplyDelayCount = 0, long EndToEndCount = 0)
{
    public static TelemetryStatusDto From(string twin, TelemetryStatus s) => new(
        twin, s.Applied, s.LastSeq, s.FilledFromLog, s.DuplicatesIgnored, s.Skipped, s.Refused, s.Samples, s.LastAppliedAt, s.Latest,
        s.ApplyDelay.Quantile(0.5), s.ApplyDelay.Quantile(0.99), s.EndToEndDelay.Quantile(0.5), s.EndToEndDelay.Quantile(0.99),
        s.Condition, s.Health, s.Alert, s.WindowsAnalysed, s.ApplyDelay.Total, s.EndToEndDelay.Total);
}

/// <summary>One dead letter: when, topic, twin, reason code and message, size, and its first bytes (base64).</summary>
public sealed record DeadLetterDto(DateTimeOffset ReceivedAt, string Topic, string? TwinId, string Reason, string Message, int Size, string PayloadPrefixBase64)
{
    public static DeadLetterDto From(DeadLetterEntry e) => new(e.ReceivedAt, e.Topic, e.TwinId, e.Reason, e.Message, e.Size, Convert.ToBase64String(e.PayloadPrefix));
}

/// <summary>A page of dead letters; pass <see cref="Continuation"/> for the next.</summary>
public sealed record DeadLetterPageDto(IReadOnlyList<DeadLetterDto> Items, string? Continuation);
