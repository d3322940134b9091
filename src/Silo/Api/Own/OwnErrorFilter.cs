using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Own;

/// <summary>TwinCluster's own resources answer refusals as RFC 9457 problem details with a status that fits.</summary>
public sealed class OwnErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Auth.ApiForbiddenException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        catch (TwinOperationException ex)
        {
            var status = ex.Code switch
            {
                TwinErrorCode.NotFound => StatusCodes.Status404NotFound,
                TwinErrorCode.AlreadyExists or TwinErrorCode.Conflict => StatusCodes.Status409Conflict,
                TwinErrorCode.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
                _ => StatusCodes.Status400BadRequest,
            };
            return TypedResults.Problem(ex.Message, statusCode: status, title: ex.Code.ToString(),
                extensions: ex.Details.IsDefaultOrEmpty ? null : new Dictionary<string, object?> { ["details"] = ex.Details });
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode);
        }
    }
}
