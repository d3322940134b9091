namespace TwinCluster.Grains.Interfaces;

/// <summary>One recorded operation: who, when, what, on what, and how it ended.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="Principal">Who asked (a token name, a JWT subject, or <c>gateway:…</c> for in-cluster programs).</param>
/// <param name="Operation">What, e.g. <c>device.add</c>, <c>token.revoke</c>, <c>twin.patch</c>.</param>
/// <param name="Target">What it was done to, e.g. a twin id, <c>device:turbine-1</c>, <c>token:ab12cd34</c>.</param>
/// <param name="TwinId">The twin concerned, when there is one (what <c>twin audit --twin</c> matches).</param>
/// <param name="Outcome"><c>ok</c>, <c>denied</c> or <c>failed</c>.</param>
/// <param name="Detail">A short explanation, or null.</param>
[GenerateSerializer, Immutable, Alias("tc.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Principal,
    [property: Id(2)] string Operation,
    [property: Id(3)] string Target,
    [property: Id(4)] string? TwinId,
    [property: Id(5)] string Outcome,
    [property: Id(6)] string? Detail)
{
    /// <summary>The outcome of an operation that was carried out.</summary>
    public const string Ok = "ok";

    /// <summary>The outcome of an operation refused for lack of permission.</summary>
    public const string Denied = "denied";

    /// <summary>The outcome of an operation that was allowed but failed.</summary>
    public const string Failed = "failed";
}

/// <summary>Which audit entries to list: all filters optional, newest first, at most <see cref="Limit"/>.</summary>
[GenerateSerializer, Immutable, Alias("tc.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? TwinId,
    [property: Id(1)] string? Principal,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] int Limit = 1000);
