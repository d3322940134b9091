using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Silo.Api.Auth;

namespace TwinCluster.Silo.Api.Own;

/// <summary>
/// <c>/api/v1/models</c>: upload a model set with every error named by document and path (what <c>twin models upload</c>
/// prints; the ADT <c>POST /models</c> carries one message), and the repository's models with their dependencies.
/// Decommission and delete are the ADT paths' (<c>PATCH</c>/<c>DELETE /models/{id}</c>).
/// </summary>
public static class OwnModelEndpoints
{
    public static RouteGroupBuilder MapOwnModelEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("", Upload).RequireModeler("model.upload")
            .WithSummary("Uploads {documents: [DTDL JSON text, …]} as one set, atomically: 200 with the uploaded ids, or 422 with every error and nothing stored.")
            .Produces<ModelUploadResult>(StatusCodes.Status422UnprocessableEntity).ProducesProblem(400);
        group.MapGet("", async (IGrainFactory grains) => TypedResults.Ok(await grains.GetModelRepository().List())).RequireTwinRead(null)
            .WithSummary("Every model: id, name, upload time, decommissioned, what it depends on.");
        group.MapGet("/{id}", Get).RequireTwinRead(null).WithSummary("A model's information and its DTDL document.").ProducesProblem(404);
        return group;
    }

    private static async Task<Results<Ok<ModelUploadResult>, JsonHttpResult<ModelUploadResult>>> Upload(ModelUploadRequest request, IGrainFactory grains)
    {
        if (request.Documents.IsDefaultOrEmpty)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "documents is required: at least one DTDL document as JSON text");
        }

        var result = await grains.GetModelRepository().Upload(request.Documents);
        result = result with { Uploaded = result.Uploaded.IsDefault ? [] : result.Uploaded, Errors = result.Errors.IsDefault ? [] : result.Errors };
        return result.Succeeded ? TypedResults.Ok(result) : TypedResults.Json(result, statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Ok<ModelDocument>> Get(string id, IGrainFactory grains)
    {
        var model = await grains.GetModelRepository().Get(id) ?? throw new TwinOperationException(TwinErrorCode.NotFound, $"model '{id}' is not in the model repository");
        return TypedResults.Ok(new ModelDocument(model.Info, JsonDocument.Parse(model.Json).RootElement));
    }
}

/// <summary>Model documents to upload as one set.</summary>
public sealed record ModelUploadRequest(ImmutableArray<string> Documents);

/// <summary>A model's information and its DTDL document.</summary>
public sealed record ModelDocument(ModelInfo Info, JsonElement Document);
