namespace TwinCluster.Grains.Commands;

/// <summary>The persisted desired properties of one twin (<see cref="DesiredLedger"/>).</summary>
[GenerateSerializer, Alias("tc.DesiredState")]
public sealed class DesiredState
{
    /// <summary>The document version: one more for every patch that changed a writable property.</summary>
    [Id(0)] public long Version { get; set; }

    /// <summary>Each writable property that was set, by name.</summary>
    [Id(1)] public Dictionary<string, DesiredEntry> Properties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when the broker took the document at <see cref="Version"/>.</summary>
    [Id(2)] public bool Pushed { get; set; }
}
