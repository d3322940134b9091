using Microsoft.AspNetCore.Http.HttpResults;

using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>
/// Import jobs under <c>/jobs/imports</c>: ADT's job resource, but the body is the NDJSON itself (the format of
/// <c>twin twins import</c>) rather than a blob address; progress and per-line errors on GET; cancel and delete.
/// </summary>
public static class AdtImportEndpoints
{
    public static RouteGroupBuilder MapAdtImportEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("", (ImportJobs jobs) => TypedResults.Ok(new AdtPage<ImportJobDto>(jobs.List(), null))).RequireModeler().WithSummary("This silo's import jobs.");
        group.MapPut("/{id}", Start).RequireModeler("import.start").WithSummary("Starts an import job over the NDJSON body (application/x-ndjson).").ProducesAdtErrors(400, 409, 413);
        group.MapGet("/{id}", Get).RequireModeler().WithSummary("A job's status, progress and the lines that did not go in.").ProducesAdtErrors(404);
        group.MapPost("/{id}/cancel", Cancel).RequireModeler("import.cancel").WithSummary("Cancels a running job; what went in stays.").ProducesAdtErrors(404);
        group.MapDelete("/{id}", Delete).RequireModeler("import.delete").WithSummary("Forgets a job (cancelling it first when running).").ProducesAdtErrors(404);
        return group;
    }

    private static async Task<Created<ImportJobDto>> Start(string id, HttpRequest request, ImportJobs jobs, ApiOptions options, CancellationToken ct)
    {
        if (id.Length is 0 or > 128 || id.Any(c => char.IsControl(c) || c == '/'))
        {
            throw AdtException.BadRequest($"job id '{id}' must be 1 to 128 printable characters without '/'.");
        }

        if (request.ContentType is { Length: > 0 } type && !NdjsonTypes.Contains(MediaType(type), StringComparer.OrdinalIgnoreCase))
        {
            throw AdtRequest.UnsupportedMediaType(request, "NDJSON (application/x-ndjson), one JSON object a line");
        }

        if (jobs.Get(id) is not null)
        {
            throw new AdtException(StatusCodes.Status409Conflict, "JobAlreadyExists", $"An import job with the ID {id} exists; delete it first.");
        }

        var file = Path.Combine(Path.GetTempPath(), $"twincluster-import-{Guid.NewGuid():N}.ndjson");
        try
        {
            if (request.ContentLength > options.MaxImportBytes)
            {
                throw new AdtException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The import is {request.ContentLength:N0} bytes; at most {options.MaxImportBytes:N0} are accepted.");
            }

            await using (var output = File.Create(file))
            {
                var buffer = new byte[64 * 1024];
                long total = 0;
                int read;
                while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > options.MaxImportBytes)
                    {
                        throw new AdtException(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"The import is over {options.MaxImportBytes:N0} bytes, the most accepted.");
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                if (total == 0)
                {
                    throw AdtException.BadRequest("The import body is empty; send NDJSON lines (as twin twins import reads them).");
                }
            }

            if (!jobs.TryStart(id, file, out var job))
            {
                throw new AdtException(StatusCodes.Status409Conflict, "JobAlreadyExists", $"An import job with the ID {id} exists; delete it first.");
            }

            return TypedResults.Created($"/jobs/imports/{Uri.EscapeDataString(id)}", job);
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    /// <summary>The media types an NDJSON body comes as (JSON and plain text too: curl and scripts send those).</summary>
    private static readonly string[] NdjsonTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/json", "text/plain"];

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim();

    private static Ok<ImportJobDto> Get(string id, ImportJobs jobs) => TypedResults.Ok(jobs.Get(id) ?? throw NotFound(id));

    private static Ok<ImportJobDto> Cancel(string id, ImportJobs jobs) => TypedResults.Ok(jobs.Cancel(id) ?? throw NotFound(id));

    private static async Task<NoContent> Delete(string id, ImportJobs jobs) =>
        await jobs.DeleteAsync(id) ? TypedResults.NoContent() : throw NotFound(id);

    private static AdtException NotFound(string id) => new(StatusCodes.Status404NotFound, "JobNotFound", $"There is no import job with the ID {id}.");
}
