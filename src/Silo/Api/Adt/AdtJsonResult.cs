using System.Text;
using Microsoft.Net.Http.Headers;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>
/// A JSON document the grains already formatted (a twin, a relationship), with its ETag header, sent with its length
/// (not chunked).
/// </summary>
public sealed class AdtJsonResult : IResult
{
    private readonly byte[] _utf8;
    private readonly string? _etag;
    private readonly int _status;

    public AdtJsonResult(string json, string? etag, int status = StatusCodes.Status200OK)
        : this(Encoding.UTF8.GetBytes(json), etag, status)
    {
    }

    private AdtJsonResult(byte[] utf8, string? etag, int status)
    {
        _utf8 = utf8;
        _etag = etag;
        _status = status;
    }

    /// <summary>The twin in ADT's shape, written once as UTF-8, with its ETag.</summary>
    public static AdtJsonResult Twin(TwinSnapshot twin) => new(AdtJson.TwinUtf8(twin), AdtJson.ETag(twin.ETag), StatusCodes.Status200OK);

    /// <summary>The twin's document as the twin keeps it written (sent as is, never changed), with its ETag.</summary>
    public static AdtJsonResult Twin(AdtTwinDocument twin) => new(twin.Utf8, AdtJson.ETag(twin.ETag), StatusCodes.Status200OK);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = _status;
        if (_etag is not null)
        {
            response.Headers[HeaderNames.ETag] = _etag;
        }

        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _utf8.Length;
        return response.Body.WriteAsync(_utf8, httpContext.RequestAborted).AsTask();
    }
}
