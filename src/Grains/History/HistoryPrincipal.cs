using Orleans.Runtime;

namespace TwinCluster.Grains.History;

/// <summary>
/// Who made a twin change, as the history keeps it: the HTTP API puts the signed-in principal's name in the call's
/// request context (<see cref="RequestContextKey"/>), and it travels with the grain calls to the twin; a change that
/// arrives without one came through the trusted Orleans gateway (or from the silo itself) and is kept as
/// <see cref="Gateway"/>.
/// </summary>
public static class HistoryPrincipal
{
    /// <summary>The request-context key of the principal's name.</summary>
    public const string RequestContextKey = "tc.principal";

    /// <summary>The principal of changes made without an API principal.</summary>
    public const string Gateway = "gateway";

    /// <summary>The principal of the grain call being served.</summary>
    public static string Current() => RequestContext.Get(RequestContextKey) is string { Length: > 0 } name ? name : Gateway;
}
