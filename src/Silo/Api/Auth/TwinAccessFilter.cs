using TwinCluster.Grains.History;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// Decides one endpoint's access with <see cref="AuthorizationService"/> (the role, and for a scoped principal the
/// twin named by a route value) and records writes in the audit log: allowed ones with their outcome, refused ones
/// as <c>denied</c>. A refusal is a 403 naming the principal, what it may not do and on what.
/// </summary>
public sealed class TwinAccessFilter(SecurityOperation operation, string? routeValue, string? auditOperation) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var principal = ApiPrincipal.Of(http);
        var twin = routeValue is null ? null : http.Request.RouteValues[routeValue] as string;
        if (!await ApiAccess.AllowsAsync(http, principal, operation, twin))
        {
            var message = ApiAccess.Refusal(principal, operation, twin);
            if (auditOperation is not null)
            {
                await ApiAccess.AuditAsync(http, principal, auditOperation, twin, AuditEntry.Denied, message);
            }

            return ApiAuthResponses.Result(http, StatusCodes.Status403Forbidden, "Forbidden", message);
        }

        // Travels with the grain calls of this request, so the twins' history says who changed them; a read changes
        // nothing, and its grain calls carry no request context.
        if (operation != SecurityOperation.Read)
        {
            Orleans.Runtime.RequestContext.Set(HistoryPrincipal.RequestContextKey, principal.Name);
        }

        if (auditOperation is null)
        {
            return await next(context);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (ApiForbiddenException ex)
        {
            await ApiAccess.AuditAsync(http, principal, auditOperation, twin, AuditEntry.Denied, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ApiAccess.AuditAsync(http, principal, auditOperation, twin, AuditEntry.Failed, ex.Message);
            throw;
        }

        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        await ApiAccess.AuditAsync(http, principal, auditOperation, twin, status < 400 ? AuditEntry.Ok : AuditEntry.Failed, status < 400 ? null : $"HTTP {status}");
        return result;
    }
}

/// <summary>A refusal found inside an endpoint (e.g. a relationship's target outside the principal's scope): a 403.</summary>
public sealed class ApiForbiddenException(string message) : Exception(message);

/// <summary>The access checks endpoints share, and their audit entries.</summary>
public static class ApiAccess
{
    /// <summary>True when <paramref name="principal"/> may do <paramref name="operation"/> (on <paramref name="twin"/> when given).</summary>
    public static async ValueTask<bool> AllowsAsync(HttpContext http, Principal principal, SecurityOperation operation, string? twin)
    {
        var authorization = http.RequestServices.GetRequiredService<AuthorizationService>();
        return operation switch
        {
            SecurityOperation.Model => authorization.CanModel(principal),
            SecurityOperation.Admin => authorization.CanAdmin(principal),
            _ when twin is null => SecurityRules.Allows(principal, operation),
            _ => await authorization.Can(principal, operation, twin),
        };
    }

    /// <summary>Throws <see cref="ApiForbiddenException"/> unless the request's principal may do it.</summary>
    public static async Task DemandAsync(HttpContext http, SecurityOperation operation, string twin)
    {
        var principal = ApiPrincipal.Of(http);
        if (!await AllowsAsync(http, principal, operation, twin))
        {
            throw new ApiForbiddenException(Refusal(principal, operation, twin));
        }
    }

    /// <summary>The twins the request's principal may read (null: all), for filtering lists, queries and streams.</summary>
    public static ValueTask<IReadOnlySet<string>?> ReadableAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<AuthorizationService>().ReadableTwins(ApiPrincipal.Of(http));

    /// <summary>What the refusal says: who, what they hold, what they may not do, on what.</summary>
    public static string Refusal(Principal principal, SecurityOperation operation, string? twin)
    {
        var roles = principal.Roles.IsDefaultOrEmpty ? "no role" : string.Join(",", principal.Roles.Select(ApiPrincipal.RoleName));
        var scope = principal.IsUnscoped ? "" : $", scope {string.Join(",", principal.Scopes)}";
        var what = operation switch
        {
            SecurityOperation.Read => "read",
            SecurityOperation.Write => "write",
            SecurityOperation.Acknowledge => "acknowledge alerts of",
            SecurityOperation.Model => "manage models and imports (modeler or admin, fleet-wide)",
            _ => "administer tokens, devices and the audit log (admin, fleet-wide)",
        };
        var on = twin is null || operation is SecurityOperation.Model or SecurityOperation.Admin ? "" : $" twin '{twin}'";
        return $"{principal.Name} ({roles}{scope}) may not {what}{on}";
    }

    /// <summary>Records an entry of the request's principal in the audit log.</summary>
    public static Task AuditAsync(HttpContext http, Principal principal, string operation, string? twin, string outcome, string? detail)
    {
        var log = http.RequestServices.GetRequiredService<IAuditLog>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var target = twin ?? http.Request.Path.Value ?? "";
        return log.RecordAsync(new AuditEntry(time.GetUtcNow(), principal.Name, operation, target, twin, outcome, detail), http.RequestAborted);
    }
}

/// <summary>The conventions endpoints declare their access with.</summary>
public static class TwinAccessConventions
{
    /// <summary>Reading: the twin of route value <paramref name="route"/>, or (null) anything the role reads.</summary>
    public static RouteHandlerBuilder RequireTwinRead(this RouteHandlerBuilder builder, string? route = "id") =>
        builder.AddEndpointFilter(new TwinAccessFilter(SecurityOperation.Read, route, null));

    /// <summary>Writing the twin of route value <paramref name="route"/>, audited as <paramref name="audit"/>.</summary>
    public static RouteHandlerBuilder RequireTwinWrite(this RouteHandlerBuilder builder, string? audit, string? route = "id") =>
        builder.AddEndpointFilter(new TwinAccessFilter(SecurityOperation.Write, route, audit));

    /// <summary>Acknowledging the alerts of the twin of route value <paramref name="route"/>, audited.</summary>
    public static RouteHandlerBuilder RequireTwinAcknowledge(this RouteHandlerBuilder builder, string audit, string route) =>
        builder.AddEndpointFilter(new TwinAccessFilter(SecurityOperation.Acknowledge, route, audit));

    /// <summary>Models and imports (fleet-wide); audited when <paramref name="audit"/> is given (writes).</summary>
    public static RouteHandlerBuilder RequireModeler(this RouteHandlerBuilder builder, string? audit = null) =>
        builder.AddEndpointFilter(new TwinAccessFilter(SecurityOperation.Model, null, audit));

    /// <summary>Tokens, devices, audit (fleet-wide admin); audited when <paramref name="audit"/> is given.</summary>
    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder builder, string? audit = null) =>
        builder.AddEndpointFilter(new TwinAccessFilter(SecurityOperation.Admin, null, audit));
}
