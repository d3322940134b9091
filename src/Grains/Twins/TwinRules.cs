using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;
using TwinCluster.Grains.Models;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Twins;

/// <summary>The checks a twin write must pass before anything changes; each refusal names what is wrong.</summary>
public sealed class TwinRules(ModelCache models, IGrainFactory grains)
{
    /// <summary>Longest relationship id accepted.</summary>
    public const int MaxRelationshipIdLength = 128;

    /// <summary>Most relationships one twin holds, and most it is the target of: its state is written whole.</summary>
    public const int MaxRelationshipsPerTwin = 100_000;

    /// <summary>How far up the containment chain a cycle check walks.</summary>
    public const int MaxHierarchyDepth = 64;

    public void CheckTwinId(string id)
    {
        if (TwinId.Check(id) is { } problem)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, problem);
        }
    }

    /// <summary>
    /// Model known and taking new twins, properties valid: returns the model and the canonical properties text. Bulk
    /// import asks whether models take new twins once per batch instead (<paramref name="checkDecommissioned"/> false).
    /// </summary>
    public async Task<(CachedModel Model, string Properties)> CheckNewTwinModel(string modelId, string propertiesJson, bool checkDecommissioned)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, "model id is required");
        }

        var model = await models.GetAsync(modelId);
        if (checkDecommissioned && !(await grains.GetModelRepository().GetUnavailable([modelId])).IsEmpty)
        {
            // This silo's cache may still hold a model deleted since: forget it.
            models.Invalidate(modelId);
            throw new TwinOperationException(TwinErrorCode.Conflict, $"model '{modelId}' is decommissioned or deleted; no new twins of it may be created");
        }

        return (model, Validate(model, propertiesJson));
    }

    /// <summary>Properties (a JSON object) valid against the twin's model: returns their compact text.</summary>
    public async Task<string> CheckProperties(string modelId, string propertiesJson) =>
        Validate(await models.GetAsync(modelId), propertiesJson);

    public async Task<Relationship> CheckNewRelationship(TwinState source, string sourceId, string relationshipId, string name, string targetId, string propertiesJson)
    {
        if (string.IsNullOrEmpty(relationshipId) || relationshipId.Length > MaxRelationshipIdLength || relationshipId.Any(char.IsControl))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"relationship id '{relationshipId}' must be 1 to {MaxRelationshipIdLength} printable characters");
        }

        CheckTwinId(targetId);
        if (source.Outgoing.Count >= MaxRelationshipsPerTwin)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{sourceId}' already holds {MaxRelationshipsPerTwin:N0} relationships, the most one twin may hold");
        }

        if (source.Outgoing.ContainsKey(relationshipId))
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{sourceId}' already has a relationship '{relationshipId}'");
        }

        var model = await models.GetAsync(source.ModelId);
        if (NameProblem(model, name, source.Outgoing.Values.Count(r => r.Name == name)) is { } problem)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, problem);
        }

        var properties = RelationshipPropertiesProblem(model, name, propertiesJson, out var text) is { } invalid
            ? throw new TwinOperationException(TwinErrorCode.Invalid, invalid)
            : text;
        if (name == RelationshipNames.Contains)
        {
            await CheckNoContainmentCycle(sourceId, targetId);
        }

        return new Relationship(relationshipId, name, sourceId, targetId, properties);
    }

    /// <summary>The target's model must be the relationship's declared target or extend it.</summary>
    public async Task CheckTarget(string sourceModelId, string name, string targetModelId)
    {
        if (await TargetProblem(await models.GetAsync(sourceModelId), name, targetModelId) is { } problem)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, problem);
        }
    }

    /// <summary>New properties of an existing relationship, checked against its model: returns their compact text.</summary>
    public async Task<string> CheckRelationshipProperties(string sourceModelId, string name, string propertiesJson) =>
        RelationshipPropertiesProblem(await models.GetAsync(sourceModelId), name, propertiesJson, out var text) is { } invalid
            ? throw new TwinOperationException(TwinErrorCode.Invalid, invalid)
            : text;

    /// <summary>Why an imported relationship cannot be stored, or null when it can.</summary>
    public async Task<string?> ImportProblem(CachedModel source, Relationship relationship, int existingWithName, string? targetModelId) =>
        NameProblem(source, relationship.Name, existingWithName)
        ?? RelationshipPropertiesProblem(source, relationship.Name, relationship.PropertiesJson, out _)
        ?? (targetModelId is null
            ? $"target twin '{relationship.TargetId}' is not known"
            : await TargetProblem(source, relationship.Name, targetModelId));

    /// <summary>Relationship properties checked against the relationship's own DTDL properties; compact text out.</summary>
    private static string? RelationshipPropertiesProblem(CachedModel source, string name, string propertiesJson, out string text)
    {
        var (document, compact) = JsonText.ParseObjectDocument(propertiesJson, $"properties of relationship '{name}'");
        using var _ = document;
        text = compact;
        if (!source.Interface.Relationships.TryGetValue(name, out var relationship))
        {
            return null;
        }

        var errors = TwinValidator.ValidateRelationshipProperties(relationship, document.RootElement);
        return errors.Count == 0 ? null : $"properties of relationship '{name}' do not match its model: {errors[0].Path}: {errors[0].Message} ({errors[0].Code})";
    }

    private static string? NameProblem(CachedModel source, string name, int existingWithName)
    {
        var errors = TwinValidator.ValidateRelationship(source.Interface, source.Set, name, null, existingWithName);
        return errors.Count == 0
            ? null
            : $"relationship '{name}' is not allowed on model '{source.Interface.Id}': {errors[0].Message} ({errors[0].Code})";
    }

    private async Task<string?> TargetProblem(CachedModel source, string name, string targetModelId)
    {
        if (!source.Interface.Relationships.TryGetValue(name, out var relationship) || relationship.Target is not { } required)
        {
            return null;
        }

        var target = await models.GetAsync(targetModelId);
        return target.Interface.Id == required || target.Interface.AllBases.Contains(required)
            ? null
            : $"relationship '{name}' of '{source.Interface.Id}' must target a '{required}', but the target is a '{targetModelId}'";
    }

    /// <summary>Refuses (Invalid) when <paramref name="targetId"/> is <paramref name="sourceId"/> or one of its containers.</summary>
    public async Task CheckNoContainmentCycle(string sourceId, string targetId)
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

    private static string Validate(CachedModel model, string propertiesJson)
    {
        var (document, text) = JsonText.ParseObjectDocument(propertiesJson, "properties");
        using var _ = document;
        var errors = TwinValidator.ValidateProperties(model.Interface, model.Set, document.RootElement);
        if (errors.Count > 0)
        {
            throw new TwinOperationException(
                TwinErrorCode.Invalid,
                $"properties do not match model '{model.Interface.Id}': {errors[0].Path}: {errors[0].Message}",
                [.. errors.Select(e => $"{e.Path}: {e.Message} ({e.Code})")]);
        }

        return text;
    }
}
