using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Security;

/// <summary>
/// The device credentials. Passwords are 256-bit random strings, shown once; the state keeps a salted
/// PBKDF2-SHA512 hash (<see cref="PasswordHash"/>). Stored with the twins' storage provider (memory in the embedded
/// default, PostgreSQL otherwise).
/// </summary>
public sealed class DeviceRegistryGrain(
    [PersistentState("devices", StorageNames.Twins)] IPersistentState<DeviceRegistryState> state,
    IAuditLog audit,
    TimeProvider time) : Grain, IDeviceRegistryGrain
{
    /// <summary>The most twins one device may publish for.</summary>
    public const int MaxTwinsPerDevice = 1024;

    public async Task<DeviceCredential> Add(string twinId, ImmutableArray<string> moreTwins, string actor)
    {
        var twins = CheckTwins(twinId, moreTwins.IsDefault ? [] : moreTwins);
        if (state.State.Devices.TryGetValue(twinId, out var existing) && existing.RevokedAt is null)
        {
            await Audit(actor, "device.add", twinId, AuditEntry.Failed, "an active device has this name");
            throw new TwinOperationException(TwinErrorCode.AlreadyExists,
                $"device '{twinId}' already exists; rotate its password with 'twin devices rotate {twinId}' or revoke it first");
        }

        var password = Secrets.Random();
        var device = new StoredDevice(twinId, twinId, twins, PasswordHash.Hash(password, PasswordHash.GeneratedSecretIterations), time.GetUtcNow(), null, null,
            (existing?.Generation ?? 0) + 1);
        await Save(device);
        await Audit(actor, "device.add", twinId, AuditEntry.Ok, $"twins {string.Join(",", twins)}");
        return new DeviceCredential(device.ClientId, device.Username, password, twins);
    }

    public Task<ImmutableArray<DeviceInfo>> List() => Task.FromResult<ImmutableArray<DeviceInfo>>(
        [.. state.State.Devices.Values.OrderBy(d => d.Username, StringComparer.Ordinal).Select(ToInfo)]);

    public async Task<DeviceCredential> Rotate(string username, string actor)
    {
        var device = await Active(username, actor, "device.rotate");
        var password = Secrets.Random();
        var rotated = device with { PasswordHash = PasswordHash.Hash(password, PasswordHash.GeneratedSecretIterations), RotatedAt = time.GetUtcNow(), Generation = device.Generation + 1 };
        await Save(rotated);
        await Audit(actor, "device.rotate", username, AuditEntry.Ok, null);
        return new DeviceCredential(rotated.ClientId, rotated.Username, password, rotated.Twins);
    }

    public async Task<DeviceInfo> Revoke(string username, string actor)
    {
        var device = await Active(username, actor, "device.revoke");
        var revoked = device with { PasswordHash = null, RevokedAt = time.GetUtcNow() };
        await Save(revoked);
        await Audit(actor, "device.revoke", username, AuditEntry.Ok, null);
        return ToInfo(revoked);
    }

    public Task<DeviceVerifier?> GetVerifier(string username) => Task.FromResult(
        state.State.Devices.TryGetValue(username, out var d) && d.PasswordHash is { } hash
            ? new DeviceVerifier(d.Username, d.ClientId, hash, d.Twins, d.Generation)
            : null);

    public Task<long> GetVersion() => Task.FromResult(state.State.Version);

    public async Task<MosquittoExport> ExportMosquitto(string? serviceUser, string? servicePassword, string actor)
    {
        if ((serviceUser is null) != (servicePassword is null))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "the service user and its password go together");
        }

        if (serviceUser is not null && (serviceUser.Length is 0 or > 128 || serviceUser.Contains(':', StringComparison.Ordinal)
            || serviceUser.Any(char.IsWhiteSpace) || state.State.Devices.ContainsKey(serviceUser)))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid,
                $"service user '{serviceUser}' must be 1 to 128 characters without ':' or spaces, and not a device's name");
        }

        var active = state.State.Devices.Values.Where(d => d.PasswordHash is not null)
            .Select(d => new DeviceVerifier(d.Username, d.ClientId, d.PasswordHash!, d.Twins, d.Generation));
        var export = MosquittoFiles.Write(active, serviceUser, servicePassword is null ? null : PasswordHash.Hash(servicePassword));
        await Audit(actor, "device.export", "mosquitto", AuditEntry.Ok, $"{export.Devices} devices");
        return export;
    }

    private static ImmutableArray<string> CheckTwins(string twinId, ImmutableArray<string> moreTwins)
    {
        var twins = new List<string> { twinId };
        twins.AddRange(moreTwins.Where(t => t != twinId).Distinct(StringComparer.Ordinal));
        foreach (var twin in twins)
        {
            if (TwinId.Check(twin) is { } problem)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, $"twins: {problem}");
            }
        }

        return twins.Count > MaxTwinsPerDevice
            ? throw new TwinOperationException(TwinErrorCode.Invalid, $"twins: {twins.Count} given; at most {MaxTwinsPerDevice} per device")
            : [.. twins];
    }

    private async Task<StoredDevice> Active(string username, string actor, string operation)
    {
        if (state.State.Devices.TryGetValue(username, out var device) && device.RevokedAt is null)
        {
            return device;
        }

        await Audit(actor, operation, username, AuditEntry.Failed, "no active device has this name");
        throw new TwinOperationException(TwinErrorCode.NotFound, $"no active device '{username}'");
    }

    private async Task Save(StoredDevice device)
    {
        state.State.Devices[device.Username] = device;
        state.State.Version++;
        await state.WriteStateAsync();
    }

    private Task Audit(string actor, string operation, string username, string outcome, string? detail) =>
        audit.RecordAsync(new AuditEntry(time.GetUtcNow(), actor, operation, $"device:{username}",
            TwinId.Check(username) is null ? username : null, outcome, detail));

    private static DeviceInfo ToInfo(StoredDevice d) =>
        new(d.Username, d.ClientId, d.Twins, d.CreatedAt, d.RotatedAt, d.RevokedAt, d.Generation);
}
