using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;
using TwinCluster.Grains.Models;
using TwinCluster.Modeling;

namespace TwinCluster.Grains.Twins;

/// <summary>The checks a twin write must pass before anything changes; each refusal names what is wrong.</summary>
public sealed class TwinRules(ModelCache models, IGrainFactory grains)
{
    /// <summary>Longest relationship id accepted.</summary>
    public const int MaxRelationshipIdLength = 128;

    /// <summary>How far up the containment chain a cycle check walks.</summary>
    public const int MaxHierarchyDepth = 64;

    public void CheckTwinId(string id)
    {
        if (TwinId.Check(id) is { } problem)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, problem);
        }
    }

    /// <summary>Model known and not decommissioned, properties valid: returns the canonical properties text.</summary>
    public async Task<string> CheckNewTwin(string modelId, string propertiesJson)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "model id is required");
        }

        var model = await models.GetAsync(modelId);
        if (model.Decommissioned)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"model '{modelId}' is decommissioned; no new twins of it may be created");
        }

        return Validate(model, JsonText.ParseObject(propertiesJson, "properties"));
    }

    public async Task<string> CheckProperties(string modelId, JsonObject properties) =>
        Validate(await models.GetAsync(modelId), properties);

    public async Task<Relationship> CheckNewRelationship(TwinState source, string sourceId, string relationshipId, string name, string targetId, string propertiesJson)
    {
        if (string.IsNullOrEmpty(relationshipId) || relationshipId.Length > MaxRelationshipIdLength || relationshipId.Any(char.IsControl))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"relationship id '{relationshipId}' must be 1 to {MaxRelationshipIdLength} printable characters");
        }

        CheckTwinId(targetId);
        if (source.Outgoing.ContainsKey(relationshipId))
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{sourceId}' already has a relationship '{relationshipId}'");
        }

        var model = await models.GetAsync(source.ModelId);
        var existing = source.Outgoing.Values.Count(r => r.Name == name);
        var errors = TwinValidator.ValidateRelationship(model.Interface, model.Set, name, null, existing);
        if (errors.Count > 0)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"relationship '{name}' is not allowed on model '{source.ModelId}'", ModelCache.Describe(errors));
        }

        var properties = JsonText.ParseObject(propertiesJson, "relationship properties");
        if (name == RelationshipNames.Contains)
        {
            await CheckNoContainmentCycle(sourceId, targetId);
        }

        return new Relationship(relationshipId, name, sourceId, targetId, JsonText.Write(properties));
    }

    /// <summary>The target's model must be the relationship's declared target or extend it.</summary>
    public async Task CheckTarget(string sourceModelId, string name, string targetModelId)
    {
        var source = await models.GetAsync(sourceModelId);
        if (!source.Interface.Relationships.TryGetValue(name, out var relationship) || relationship.Target is not { } required)
        {
            return;
        }

        var target = await models.GetAsync(targetModelId);
        if (target.Interface.Id != required && !target.Interface.AllBases.Contains(required))
        {
            throw new TwinOperationException(
                TwinErrorCode.Invalid,
                $"relationship '{name}' of '{sourceModelId}' must target a '{required}', but the target is a '{targetModelId}'");
        }
    }

    private async Task CheckNoContainmentCycle(string sourceId, string targetId)
    {
        if (sourceId == targetId)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"twin '{sourceId}' cannot contain itself");
        }

        var current = sourceId;
        for (var depth = 0; depth < MaxHierarchyDepth; depth++)
        {
            var parent = await grains.GetGrain<ITwinGrain>(current).GetParent();
            if (parent is null)
            {
                return;
            }

            if (parent == targetId)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, $"'{sourceId}' is inside '{targetId}': containing it would make a cycle");
            }

            current = parent;
        }

        throw new TwinOperationException(TwinErrorCode.Invalid, $"the hierarchy above '{sourceId}' is deeper than {MaxHierarchyDepth}");
    }

    private static string Validate(CachedModel model, JsonObject properties)
    {
        var text = JsonText.Write(properties);
        using var document = JsonDocument.Parse(text);
        var errors = TwinValidator.ValidateProperties(model.Interface, model.Set, document.RootElement);
        if (errors.Count > 0)
        {
            throw new TwinOperationException(
                TwinErrorCode.Invalid,
                $"properties do not match model '{model.Interface.Id}': {errors[0].Path}: {errors[0].Message}",
                ModelCache.Describe(errors));
        }

        return text;
    }
}
