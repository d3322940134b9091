using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>
/// The ADT paths' one place for errors: checks <c>api-version</c> and turns refusals into ADT's envelope with ADT's
/// status and code (the SDKs read both), so endpoints stay thin.
/// </summary>
public sealed class AdtErrorFilter : IEndpointFilter
{
    /// <summary>The api-version TwinCluster implements.</summary>
    public const string ApiVersion = "2023-10-31";

    /// <summary>Accepted too: earlier GA versions whose shapes are the same for what is served (the JS SDK 1.1 sends 2022-05-31).</summary>
    public static readonly string[] AcceptedVersions = [ApiVersion, "2022-05-31", "2020-10-31"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var version = http.Request.Query["api-version"].ToString();
        if (version.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "MissingApiVersionParameter", $"The api-version query parameter is required; use api-version={ApiVersion}.");
        }

        if (!AcceptedVersions.Contains(version, StringComparer.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "InvalidApiVersionParameter",
                $"The api-version '{version}' is not supported; use {ApiVersion} (also accepted: {string.Join(", ", AcceptedVersions.Skip(1))}).");
        }

        try
        {
            return await next(context);
        }
        catch (Auth.ApiForbiddenException ex)
        {
            return Error(StatusCodes.Status403Forbidden, "Forbidden", ex.Message);
        }
        catch (AdtException ex)
        {
            return Error(ex.Status, ex.Code, ex.Message);
        }
        catch (TwinOperationException ex)
        {
            var (status, code) = Map(ex, http.Request.Path.Value ?? "");
            var message = ex.Details.IsDefaultOrEmpty ? ex.Message : ex.Message + " (" + string.Join("; ", ex.Details) + ")";
            return Error(status, code, message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(ex.StatusCode, "PayloadTooLarge", ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            return Error(ex.StatusCode, "InvalidArgument", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILogger<AdtErrorFilter>>().LogError(ex, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            return Error(StatusCodes.Status500InternalServerError, "InternalServerError", $"The request failed in the service: {ex.GetType().Name}: {ex.Message}");
        }
    }

    public static JsonHttpResult<AdtErrorResponse> Error(int status, string code, string message) =>
        TypedResults.Json(new AdtErrorResponse(new AdtError(code, message)), statusCode: status);

    /// <summary>ADT's status and code for a refusal of the grains, by what the path addresses.</summary>
    private static (int Status, string Code) Map(TwinOperationException ex, string path)
    {
        var models = path.StartsWith("/models", StringComparison.Ordinal);
        var relationship = path.Contains("/relationships/", StringComparison.Ordinal);
        return ex.Code switch
        {
            TwinErrorCode.NotFound when ex.Message.StartsWith("target twin", StringComparison.Ordinal) => (400, "InvalidRelationship"),
            TwinErrorCode.NotFound when ex.Message.StartsWith("model", StringComparison.Ordinal) || models => (404, "ModelNotFound"),
            TwinErrorCode.NotFound when relationship && ex.Message.Contains("relationship", StringComparison.Ordinal) => (404, "RelationshipNotFound"),
            TwinErrorCode.NotFound => (404, "DigitalTwinNotFound"),
            TwinErrorCode.PreconditionFailed => (412, "PreconditionFailed"),
            TwinErrorCode.AlreadyExists when models => (409, "ModelAlreadyExists"),
            TwinErrorCode.AlreadyExists => (412, "PreconditionFailed"),
            TwinErrorCode.Conflict when models => (409, "ModelReferencesNotDeleted"),
            TwinErrorCode.Conflict when ex.Message.Contains("decommissioned", StringComparison.Ordinal) => (400, "ModelDecommissioned"),
            TwinErrorCode.Conflict when ex.Message.Contains("relationships; remove them", StringComparison.Ordinal) => (400, "RelationshipsNotDeleted"),
            TwinErrorCode.Conflict => (409, "Conflict"),
            TwinErrorCode.Invalid when path.StartsWith("/query", StringComparison.Ordinal) => (400, "BadRequest"),
            TwinErrorCode.Invalid when relationship => (400, "InvalidRelationship"),
            _ => (400, "ValidationFailed"),
        };
    }
}
