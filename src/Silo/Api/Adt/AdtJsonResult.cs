using System.Text;
using Microsoft.Net.Http.Headers;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>A JSON text the grains already formatted (a twin, a relationship), with its ETag header.</summary>
public sealed class AdtJsonResult(string json, string? etag, int status = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (etag is not null)
        {
            httpContext.Response.Headers[HeaderNames.ETag] = etag;
        }

        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return httpContext.Response.WriteAsync(json, Encoding.UTF8);
    }
}
