using TwinCluster.Silo.Api.Adt;

namespace TwinCluster.Silo.Api.Auth;

/// <summary>
/// How refusals look on the wire, by path: the Azure Digital Twins paths answer in ADT's error envelope (its SDKs
/// read <c>error.code</c>), TwinCluster's own paths in RFC 9457 problem details.
/// </summary>
public static class ApiAuthResponses
{
    private static readonly string[] ApiPrefixes = ["/digitaltwins", "/models", "/query", "/jobs", ApiHostingExtensions.OwnPrefix, "/openapi", "/reference"];

    /// <summary>True for the API's paths (bearer tokens only); everything else is the dashboard's (cookie sign-in).</summary>
    public static bool IsApiPath(PathString path) =>
        ApiPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>A 401 naming why, with the challenge a bearer client expects.</summary>
    public static Task Unauthorized(HttpContext context, string reason)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"TwinCluster\"";
        return Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"Sign in: {reason}. Send 'Authorization: Bearer <token>' with a TwinCluster API token (twin auth token create) or a JWT from the configured issuer.");
    }

    /// <summary>A 403 naming what the principal may not do.</summary>
    public static Task Forbidden(HttpContext context, string message) =>
        Write(context, StatusCodes.Status403Forbidden, "Forbidden", message);

    /// <summary>A 429 with <c>Retry-After</c> in whole seconds.</summary>
    public static Task TooManyRequests(HttpContext context, TimeSpan retryAfter, string message)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Write(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", message);
    }

    /// <summary>The refusal as an endpoint result, for filters that decide inside the endpoint pipeline.</summary>
    public static IResult Result(HttpContext context, int status, string code, string message) =>
        IsAdtPath(context.Request.Path)
            ? AdtErrorFilter.Error(status, code, message)
            : TypedResults.Problem(message, statusCode: status, title: code);

    private static Task Write(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return Result(context, status, code, message).ExecuteAsync(context);
    }

    private static bool IsAdtPath(PathString path) =>
        IsApiPath(path) && !path.StartsWithSegments(ApiHostingExtensions.OwnPrefix, StringComparison.OrdinalIgnoreCase);
}
