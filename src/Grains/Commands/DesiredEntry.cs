using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Commands;

/// <summary>One writable property's desired value and acknowledgement (see <see cref="DesiredProperty"/>).</summary>
[GenerateSerializer, Alias("tc.DesiredEntry")]
public sealed class DesiredEntry
{
    [Id(0)] public string DesiredJson { get; set; } = "null";

    [Id(1)] public long Version { get; set; }

    [Id(2)] public DateTimeOffset SetAt { get; set; }

    [Id(3)] public DesiredAckState State { get; set; }

    [Id(4)] public string? ReportedJson { get; set; }

    [Id(5)] public int? AckStatus { get; set; }

    [Id(6)] public long? AckVersion { get; set; }

    [Id(7)] public string? AckDescription { get; set; }

    [Id(8)] public DateTimeOffset? AckedAt { get; set; }
}
