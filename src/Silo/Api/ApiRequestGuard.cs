using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using TwinCluster.Silo.Api.Adt;

namespace TwinCluster.Silo.Api;

/// <summary>
/// Request checks for the API paths that no endpoint should have to repeat. A body over the limit
/// (<see cref="ApiOptions.MaxBodyBytes"/>, <see cref="ApiOptions.MaxImportBytes"/> for an import) is a 413, before it
/// is read when it states its length, and as soon as it passes the limit when it is sent chunked. What the endpoint
/// binding refuses (a body that is not JSON, malformed JSON, a query parameter that does not parse, a Content-Type the
/// endpoint does not accept) is answered in the path's own error shape, ADT's envelope at the root and problem details
/// under <c>/api/v1</c>, with the message that names the parameter, instead of an empty 400 or 415.
/// </summary>
public static class ApiRequestGuard
{
    private static readonly string[] AdtPrefixes = ["/models", "/digitaltwins", "/query", "/jobs"];

    /// <summary>Makes the endpoint binding throw on bad requests, so <see cref="UseApiRequestGuard"/> can answer them.</summary>
    public static IServiceCollection AddApiRequestGuard(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static WebApplication UseApiRequestGuard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<ApiOptions>();
        app.Use(async (context, next) =>
        {
            var adt = IsAdt(context.Request.Path);
            if (!adt && !context.Request.Path.StartsWithSegments(ApiHostingExtensions.OwnPrefix, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    await next(context);
                }
                catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
                {
                    // Elsewhere (the dashboard, sign-in) a bad request stays the bare status it was before the binding threw.
                    context.Response.StatusCode = ex.StatusCode;
                }

                return;
            }

            var import = HttpMethods.IsPut(context.Request.Method) && context.Request.Path.StartsWithSegments("/jobs/imports", StringComparison.OrdinalIgnoreCase);
            long limit = import ? options.MaxImportBytes : options.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await WriteAsync(context, adt, StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", TooLarge(context.Request.ContentLength.Value, limit));
                return;
            }

            if (adt)
            {
                // The ADT endpoints read their bodies themselves and answer a chunked body past the limit (AdtRequest);
                // the server's own limit backs them up.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                {
                    size.MaxRequestBodySize = limit;
                }
            }
            else
            {
                // The binding of /api/v1 bodies answers the server's own "too large" itself, as an empty 413; kept here,
                // the limit gets an answer that says what it is.
                context.Request.Body = new LimitedStream(context.Request.Body, limit);
            }

            try
            {
                await next(context);
                if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted && context.Response.ContentType is null)
                {
                    // Routing refused the Content-Type (the endpoint declares what it accepts) and wrote nothing: say what was wrong.
                    await WriteAsync(context, adt, StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                        $"Content-Type '{context.Request.ContentType}' is not accepted here; send the body as application/json (a JSON Patch also as application/json-patch+json).");
                }
            }
            catch (BodyTooLargeException) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, adt, StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", TooLarge(null, limit));
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var message = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
                var code = ex.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "PayloadTooLarge",
                    StatusCodes.Status415UnsupportedMediaType => "UnsupportedMediaType",
                    _ => "InvalidArgument",
                };
                await WriteAsync(context, adt, ex.StatusCode, code, message);
            }
        });
        return app;
    }

    private static bool IsAdt(PathString path) => AdtPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static string TooLarge(long? length, long limit) => length is { } n
        ? string.Create(CultureInfo.InvariantCulture, $"The request body is {n:N0} bytes; at most {limit:N0} are accepted.")
        : string.Create(CultureInfo.InvariantCulture, $"The request body is over {limit:N0} bytes, the most accepted.");

    private static Task WriteAsync(HttpContext context, bool adt, int status, string code, string message)
    {
        context.Response.Clear();
        IResult result = adt ? AdtErrorFilter.Error(status, code, message) : TypedResults.Problem(message, statusCode: status, title: code);
        return result.ExecuteAsync(context);
    }

    /// <summary>Thrown by <see cref="LimitedStream"/>; not an IOException, so the binding passes it on instead of swallowing it.</summary>
    private sealed class BodyTooLargeException() : Exception("the request body is over the limit");

    /// <summary>A request body that refuses to be read past <c>limit</c> bytes.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new BodyTooLargeException() : read;
        }
    }
}
