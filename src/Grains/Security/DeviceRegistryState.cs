using System.Collections.Immutable;

namespace TwinCluster.Grains.Security;

/// <summary>The device registry's stored state.</summary>
[GenerateSerializer, Alias("tc.DeviceRegistryState")]
public sealed class DeviceRegistryState
{
    /// <summary>Devices by user name.</summary>
    [Id(0)]
    public Dictionary<string, StoredDevice> Devices { get; set; } = [];

    /// <summary>Counts changes.</summary>
    [Id(1)]
    public long Version { get; set; }
}

/// <summary>One device as stored: the hash, never the password; null once revoked.</summary>
[GenerateSerializer, Immutable, Alias("tc.StoredDevice")]
public sealed record StoredDevice(
    [property: Id(0)] string Username,
    [property: Id(1)] string ClientId,
    [property: Id(2)] ImmutableArray<string> Twins,
    [property: Id(3)] string? PasswordHash,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? RotatedAt,
    [property: Id(6)] DateTimeOffset? RevokedAt,
    [property: Id(7)] int Generation);
