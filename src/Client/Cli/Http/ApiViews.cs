using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Client.Health;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Simulation.Import;

namespace TwinCluster.Cli.Http;

// The API's own shapes (src/Silo/Api/Own/OwnDtos.cs and the ADT import job), as the CLI reads them.

/// <summary>A component's alert as the API sends it.</summary>
public sealed record AlertView(
    string Twin, long Number, string Level, string PeakLevel, bool Open, DateTimeOffset RaisedAt, DateTimeOffset ChangedAt, string Explanation,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Note, DateTimeOffset? ClearedAt)
{
    /// <summary>The alert as the grains hold it, for the CLI's renderings.</summary>
    public TwinAlert ToAlert() => new(
        Twin, Number, Status(Level), Status(PeakLevel), RaisedAt, ChangedAt, Explanation, AcknowledgedBy, AcknowledgedAt, Note, ClearedAt);

    public static HealthStatus Status(string? name) => Enum.TryParse<HealthStatus>(name, ignoreCase: true, out var status) ? status : HealthStatus.Unknown;
}

/// <summary>A twin's explained health and the tree below it.</summary>
public sealed record HealthNodeView(
    string Id, string Model, string Status, double? Index, string Explanation, string? Source, ImmutableArray<string> SourcePath,
    string? Fault, double? RulSeconds, double? RulBandSeconds, int Monitored, int Alarms, int Warnings, AlertView? Alert,
    ImmutableArray<HealthNodeView> Children, string? SourceLabel, string? Summary)
{
    /// <summary>The tree as <see cref="HealthTree"/> reads it through the gateway, so <see cref="HealthText"/> renders it the same.</summary>
    public HealthNode ToNode() => new(
        Id,
        Model,
        new TwinHealth(Id, Model, AlertView.Status(Status), Index, Source, SourceLabel, SourcePath.IsDefault ? [] : SourcePath, Summary, Fault,
            RulSeconds, RulBandSeconds, Monitored, Alarms, Warnings, 0, default, Alert?.ToAlert()),
        Children.IsDefault ? [] : [.. Children.Select(c => c.ToNode())]);
}

/// <summary>One change of the live stream.</summary>
public sealed record ChangeView(long Seq, string Kind, string Twin, ImmutableArray<string> Path, DateTimeOffset At, string? Status, double? Index,
    string? Explanation, AlertView? Alert);

/// <summary>Sent by the stream when it could not deliver some events.</summary>
public sealed record MissedView(long Missed, string Reason);

/// <summary>What a twin applied of its telemetry.</summary>
public sealed record TelemetryStatusView(
    string Twin, long Applied, long LastSeq, long FilledFromLog, long DuplicatesIgnored, long Skipped, long Refused, long Samples,
    DateTimeOffset? LastAppliedAt, ImmutableDictionary<string, TelemetryReading>? Latest, double? ApplyDelayP50Ms, double? ApplyDelayP99Ms,
    double? EndToEndP50Ms, double? EndToEndP99Ms, string? Condition, double? Health, string? Alert, long WindowsAnalysed,
    long ApplyDelayCount, long EndToEndCount);

/// <summary>One dead letter.</summary>
public sealed record DeadLetterView(DateTimeOffset ReceivedAt, string Topic, string? TwinId, string Reason, string Message, int Size, string PayloadPrefixBase64);

/// <summary>A page of dead letters.</summary>
public sealed record DeadLetterPageView(ImmutableArray<DeadLetterView> Items, string? Continuation);

/// <summary>A model's information and its DTDL document.</summary>
public sealed record ModelDocumentView(ModelInfo Info, JsonElement Document);

/// <summary>An ADT import job's state.</summary>
public sealed record ImportJobView(
    string Id, string Status, DateTimeOffset CreatedDateTime, DateTimeOffset LastActionDateTime, DateTimeOffset? FinishedDateTime,
    string? Phase, long Done, long Total, long Lines, int ModelsUploaded, int TwinsCreated, int RelationshipsCreated,
    ImmutableArray<ImportLineError> Errors, string? Error)
{
    public bool Finished => Status is "succeeded" or "failed" or "cancelled";

    public ImportSummary ToSummary() => new(
        Lines, ModelsUploaded, TwinsCreated, RelationshipsCreated, Errors.IsDefault ? [] : Errors, (FinishedDateTime ?? LastActionDateTime) - CreatedDateTime);
}
