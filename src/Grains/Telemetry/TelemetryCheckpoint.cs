using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Telemetry;

/// <summary>
/// A twin's persisted telemetry position, written every <see cref="TelemetryOptions.CheckpointInterval"/> while
/// telemetry flows and at deactivation. After a crash the twin resumes here and catches up from the log, so nothing
/// after the checkpoint is counted twice or lost.
/// </summary>
[GenerateSerializer, Alias("tc.TelemetryCheckpoint")]
public sealed class TelemetryCheckpoint
{
    [Id(0)] public long LastSeq { get; set; } = -1;

    [Id(1)] public long Applied { get; set; }

    [Id(2)] public long FilledFromLog { get; set; }

    [Id(3)] public long DuplicatesIgnored { get; set; }

    [Id(4)] public long Skipped { get; set; }

    [Id(5)] public long Samples { get; set; }

    [Id(6)] public DateTimeOffset? LastAppliedAt { get; set; }

    [Id(7)] public Dictionary<string, TelemetryReading> Latest { get; set; } = new(StringComparer.Ordinal);

    [Id(8)] public long Refused { get; set; }

    /// <summary>The condition monitor's checkpoint, for a monitored component.</summary>
    [Id(9)] public Condition.ConditionCheckpoint? Condition { get; set; }
}

/// <summary>How twins apply telemetry (configuration section <c>TwinCluster:Telemetry</c>).</summary>
public sealed class TelemetryOptions : ISelfChecking
{
    /// <summary>How often a twin that received telemetry writes its checkpoint (default 10 s).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a twin waits for a missing seq before it gives up on it (default 3 s). A gap from reordering is filled
    /// from the log at once; this wait covers seqs that were refused or never sent, which hold the twin's later
    /// telemetry back meanwhile. A seq that arrives after it was given up on is still applied.
    /// </summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>After this long without live telemetry a twin checks the log once for messages it missed (default 5 s).</summary>
    public TimeSpan IdleCatchUp { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most records a twin holds back behind a gap (default 10,000).</summary>
    public int MaxPending { get; set; } = 10_000;

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (CheckpointInterval <= TimeSpan.Zero)
        {
            yield return "TwinCluster:Telemetry:CheckpointInterval must be positive";
        }

        if (GapTimeout <= TimeSpan.Zero)
        {
            yield return "TwinCluster:Telemetry:GapTimeout must be positive";
        }

        if (IdleCatchUp <= TimeSpan.Zero)
        {
            yield return "TwinCluster:Telemetry:IdleCatchUp must be positive";
        }

        if (MaxPending is < 1 or > 1_000_000)
        {
            yield return "TwinCluster:Telemetry:MaxPending must be between 1 and 1000000";
        }
    }
}
