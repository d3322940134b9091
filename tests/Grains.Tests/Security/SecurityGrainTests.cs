using Microsoft.Extensions.DependencyInjection;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests.Security;

/// <summary>The device registry, the API token service and the authorization service on a real test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SecurityGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task A_device_credential_is_hashed_verified_rotated_and_revoked_and_each_step_is_audited()
    {
        var twin = Ids.New("dev");
        var registry = Grains.GetDeviceRegistry();
        var issued = await registry.Add(twin, [twin + "-mb", twin], "gateway:test");
        Assert.Equal((twin, twin), (issued.Username, issued.ClientId));
        Assert.Equal([twin, twin + "-mb"], issued.Twins);
        Assert.True(issued.Password.Length >= 40);

        var verifier = await registry.GetVerifier(twin);
        Assert.NotNull(verifier);
        Assert.StartsWith("$7$1000$", verifier.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Password, verifier.PasswordHash, StringComparison.Ordinal);
        var auth = Grains.GetDeviceAuthentication();
        Assert.Equal(1, (await auth.Authenticate(twin, issued.Password))?.Generation);
        Assert.Null(await auth.Authenticate(twin, issued.Password + "!"));

        var again = await Assert.ThrowsAsync<TwinOperationException>(() => registry.Add(twin, [], "gateway:test"));
        Assert.Equal(TwinErrorCode.AlreadyExists, again.Code);
        var rotated = await registry.Rotate(twin, "gateway:test");
        Assert.Null(await auth.Authenticate(twin, issued.Password));
        Assert.Equal(2, (await auth.Authenticate(twin, rotated.Password))?.Generation);

        var version = await registry.GetVersion();
        var revoked = await registry.Revoke(twin, "gateway:test");
        Assert.False(revoked.IsActive);
        Assert.True(await registry.GetVersion() > version);
        Assert.Null(await auth.Authenticate(twin, rotated.Password));
        Assert.Null(await registry.GetVerifier(twin));
        Assert.Equal(TwinErrorCode.NotFound, (await Assert.ThrowsAsync<TwinOperationException>(() => registry.Rotate(twin, "gateway:test"))).Code);
        var listed = Assert.Single(await registry.List(), d => d.Username == twin);
        Assert.NotNull(listed.RevokedAt);

        var bad = await Assert.ThrowsAsync<TwinOperationException>(() => registry.Add(twin + "-x", ["no spaces allowed"], "gateway:test"));
        Assert.Equal(TwinErrorCode.Invalid, bad.Code);
        Assert.StartsWith("twins:", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await registry.List(), d => d.Username == twin + "-x");

        // Each silo of the test cluster keeps its own in-memory log (PostgreSQL mode shares one table): read them all.
        var audit = new List<AuditEntry>();
        foreach (var silo in fixture.Cluster.Silos)
        {
            var log = ((Orleans.TestingHost.InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<IAuditLog>();
            audit.AddRange(await log.QueryAsync(new AuditQuery(twin, null, null), TestContext.Current.CancellationToken));
        }

        Assert.Equal(["device.add:ok", "device.add:failed", "device.rotate:ok", "device.revoke:ok", "device.rotate:failed"],
            audit.OrderBy(e => e.Time).Select(e => $"{e.Operation}:{e.Outcome}").ToArray());
        Assert.All(audit, e => Assert.Equal(("gateway:test", $"device:{twin}"), (e.Principal, e.Target)));
    }

    [Fact]
    public async Task Revoked_expired_unknown_and_malformed_api_tokens_are_refused_and_nothing_is_granted()
    {
        var clock = new MovableClock();
        var service = new ApiTokenService(Grains, clock) { CacheDuration = TimeSpan.FromMinutes(10) };
        var actor = Principal.Gateway("gateway:test");
        var scope = Ids.New("farm");
        var live = await service.CreateAsync(new ApiTokenRequest(SecurityRole.Operator, scope, TimeSpan.FromHours(1), "live"), actor);
        var toRevoke = await service.CreateAsync(new ApiTokenRequest(SecurityRole.Admin, null, null, "revoked"), actor);
        var toExpire = await service.CreateAsync(new ApiTokenRequest(SecurityRole.Reader, null, TimeSpan.FromMinutes(5), "expiring"), actor);

        var ok = await service.ValidateAsync(live.Token);
        Assert.Equal(TokenStatus.Valid, ok.Status);
        Assert.Equal(new Principal("token:live", [SecurityRole.Operator], [scope], "api-token"), ok.Principal);
        Assert.True((await service.ValidateAsync(toRevoke.Token)).IsValid);   // cached from here on
        Assert.True((await service.ValidateAsync(toExpire.Token)).IsValid);

        await service.RevokeAsync(toRevoke.Info.Id, actor);
        clock.Advance(TimeSpan.FromMinutes(6));
        var (wrongSecret, _) = ApiTokenFormat.New();
        var cases = new (string Name, string? Token, TokenStatus Expected)[]
        {
            ("revoked", toRevoke.Token, TokenStatus.Revoked),
            ("expired", toExpire.Token, TokenStatus.Expired),
            ("unknown id", wrongSecret, TokenStatus.Unknown),
            ("right id, wrong secret", live.Token[..^4] + "AAAA", TokenStatus.Unknown),
            ("malformed", "tct_zz", TokenStatus.Malformed),
            ("no token", null, TokenStatus.Malformed),
            ("a JWT where an API token is expected", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", TokenStatus.Malformed),
        };
        var denied = 0;
        foreach (var (name, token, expected) in cases)
        {
            var result = await service.ValidateAsync(token);
            Assert.True(result.Status == expected && result.Principal is null, $"{name}: {result.Status}");
            denied++;
        }

        // Nothing changed: the live token still works, and the registry still holds all three as they were.
        Assert.True((await service.ValidateAsync(live.Token)).IsValid);
        var listed = (await service.ListAsync()).Where(t => t.Id == live.Info.Id || t.Id == toRevoke.Info.Id || t.Id == toExpire.Info.Id).ToList();
        Assert.Equal(3, listed.Count);
        Assert.Single(listed, t => t.RevokedAt is not null);
        Console.WriteLine($"{cases.Length} cases, {denied} denied");

        // Another silo's service (no cache) sees the revocation too.
        Assert.Equal(TokenStatus.Revoked, (await new ApiTokenService(Grains, clock).ValidateAsync(toRevoke.Token)).Status);
        var invalid = await Assert.ThrowsAsync<TwinOperationException>(() => service.CreateAsync(new ApiTokenRequest(SecurityRole.Reader, "bad scope!", null, null), actor));
        Assert.StartsWith("scope:", invalid.Message, StringComparison.Ordinal);
        Assert.StartsWith("expires:", (await Assert.ThrowsAsync<TwinOperationException>(() =>
            service.CreateAsync(new ApiTokenRequest(SecurityRole.Reader, null, TimeSpan.FromSeconds(-1), null), actor))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_role_and_scope_is_refused_what_it_may_not_do_and_allowed_what_it_may()
    {
        var farm = Ids.New("farm");
        var (t1, t2) = (Ids.New("wt"), Ids.New("wt"));
        var (b1, b2) = (Ids.New("brg"), Ids.New("brg"));
        await Grains.GetTwin(new TwinId(farm)).Create(TestModels.Farm, "{}");
        foreach (var (turbine, bearing) in new[] { (t1, b1), (t2, b2) })
        {
            await Grains.GetTwin(new TwinId(turbine)).Create(TestModels.Turbine, "{}");
            await Grains.GetTwin(new TwinId(bearing)).Create(TestModels.Bearing, "{}");
            await Grains.GetTwin(new TwinId(farm)).AddRelationship($"c-{turbine}", RelationshipNames.Contains, turbine, "{}", null);
            await Grains.GetTwin(new TwinId(turbine)).AddRelationship($"c-{bearing}", RelationshipNames.Contains, bearing, "{}", null);
        }

        var authz = new AuthorizationService(Grains, TimeProvider.System);
        Principal P(SecurityRole role, params string[] scopes) => new($"t:{role}", [role], [.. scopes], "api-token");
        var reader = P(SecurityRole.Reader);
        var op = P(SecurityRole.Operator);
        var modeler = P(SecurityRole.Modeler);
        var admin = P(SecurityRole.Admin);
        var scopedOp = P(SecurityRole.Operator, t1);
        var scopedAdmin = P(SecurityRole.Admin, t1);
        var scopedReader = P(SecurityRole.Reader, t2);

        var negatives = new (string Name, Func<ValueTask<bool>> Check)[]
        {
            ("reader writes", () => authz.CanWrite(reader, b1)),
            ("reader acknowledges", () => authz.CanAcknowledge(reader, b1)),
            ("reader models", () => new(authz.CanModel(reader))),
            ("reader administers", () => new(authz.CanAdmin(reader))),
            ("operator models", () => new(authz.CanModel(op))),
            ("operator administers", () => new(authz.CanAdmin(op))),
            ("modeler writes", () => authz.CanWrite(modeler, b1)),
            ("modeler acknowledges", () => authz.CanAcknowledge(modeler, b1)),
            ("modeler administers", () => new(authz.CanAdmin(modeler))),
            ("scoped operator writes outside its subtree", () => authz.CanWrite(scopedOp, b2)),
            ("scoped operator writes the other turbine", () => authz.CanWrite(scopedOp, t2)),
            ("scoped operator reads outside its subtree", () => authz.CanRead(scopedOp, t2)),
            ("scoped operator reads the farm above its scope", () => authz.CanRead(scopedOp, farm)),
            ("scoped operator acknowledges outside its subtree", () => authz.CanAcknowledge(scopedOp, b2)),
            ("scoped operator on a twin that does not exist", () => authz.CanRead(scopedOp, Ids.New("ghost"))),
            ("scoped operator on an invalid id", () => authz.CanRead(scopedOp, "bad id!")),
            ("scoped reader writes inside its subtree", () => authz.CanWrite(scopedReader, b2)),
            ("scoped admin models (fleet-wide)", () => new(authz.CanModel(scopedAdmin))),
            ("scoped admin administers (fleet-wide)", () => new(authz.CanAdmin(scopedAdmin))),
            ("principal without roles reads", () => authz.CanRead(new Principal("none", [], [], "jwt"), b1)),
        };
        var denied = 0;
        foreach (var (name, check) in negatives)
        {
            Assert.False(await check(), name);
            denied++;
        }

        Console.WriteLine($"{negatives.Length} cases, {denied} denied");

        var positives = new (string Name, Func<ValueTask<bool>> Check)[]
        {
            ("reader reads", () => authz.CanRead(reader, b2)),
            ("operator writes", () => authz.CanWrite(op, b2)),
            ("operator acknowledges", () => authz.CanAcknowledge(op, b1)),
            ("modeler reads", () => authz.CanRead(modeler, farm)),
            ("modeler models", () => new(authz.CanModel(modeler))),
            ("admin administers", () => new(authz.CanAdmin(admin))),
            ("admin writes", () => authz.CanWrite(admin, farm)),
            ("scoped operator writes its scope", () => authz.CanWrite(scopedOp, t1)),
            ("scoped operator writes below its scope", () => authz.CanWrite(scopedOp, b1)),
            ("scoped operator acknowledges below its scope", () => authz.CanAcknowledge(scopedOp, b1)),
            ("scoped reader reads below its scope", () => authz.CanRead(scopedReader, b2)),
        };
        foreach (var (name, check) in positives)
        {
            Assert.True(await check(), name);
        }

        // Query results and change streams are filtered to the scope's subtree.
        var readable = await authz.ReadableTwins(scopedOp);
        Assert.NotNull(readable);
        Assert.Equal(new[] { b1, t1 }.Order(StringComparer.Ordinal), readable.Order(StringComparer.Ordinal));
        Assert.Null(await authz.ReadableTwins(reader));
    }

    private sealed class MovableClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
