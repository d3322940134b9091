using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The changes of a twin's stored state and the rules they follow, without Orleans: each takes the state, checks
/// what the change needs (ETag, existence, relationship limits, one container) and applies it, or throws a
/// <see cref="TwinOperationException"/> that names what is wrong and changes nothing. The grain runs them under its
/// gate and stores the result.
/// </summary>
public static class TwinEdits
{
    /// <summary>A conditional write (<c>If-Match</c>) against the twin's current ETag; <c>*</c> and null match any.</summary>
    public static void CheckETag(TwinState s, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (ifMatch is not null && ifMatch != "*" && ifMatch != s.ETag)
        {
            throw new TwinOperationException(TwinErrorCode.PreconditionFailed, $"ETag '{ifMatch}' is stale; the twin is now at '{s.ETag}'");
        }
    }

    /// <summary>A changed twin: a new update time and a new ETag.</summary>
    public static void Touch(TwinState s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.UpdatedAt = now;
        s.ETag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
    }

    /// <summary>A twin that exists and matches <paramref name="ifMatch"/>, or the refusal.</summary>
    public static void Require(TwinState s, string id, string? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!s.Exists)
        {
            throw TwinOperationException.TwinNotFound(id);
        }

        CheckETag(s, ifMatch);
    }

    /// <summary>A new twin of <paramref name="modelId"/> with checked <paramref name="properties"/>.</summary>
    public static void Create(TwinState s, string id, string modelId, string properties, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Exists)
        {
            // Loaded by an interleaved refresh while this create waited: the bulk importer created it first.
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{id}' already exists");
        }

        s.Exists = true;
        s.ModelId = modelId;
        s.PropertiesJson = properties;
        s.CreatedAt = now;
        Touch(s, now);
        PropertyTimes.Update(s.PropertyTimes, null, properties, now);
    }

    /// <summary>
    /// New properties (checked, canonical text) if the twin still matches <paramref name="ifMatch"/>; the property
    /// times follow, with the source times a patch carried. Returns the properties before.
    /// </summary>
    public static string SetProperties(TwinState s, string? ifMatch, string properties, DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? sourceTimes = null)
    {
        CheckETag(s, ifMatch);
        var previous = s.PropertiesJson;
        s.PropertiesJson = properties;
        Touch(s, now);
        PropertyTimes.Update(s.PropertyTimes, previous, properties, s.UpdatedAt, sourceTimes);
        return previous;
    }

    /// <summary>A new outgoing relationship (already checked against the models and the target's half).</summary>
    public static void AddOutgoing(TwinState s, string id, Relationship relationship, string? ifMatch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        CheckETag(s, ifMatch);
        if (!s.Outgoing.TryAdd(relationship.Id, relationship))
        {
            throw new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{id}' already has a relationship '{relationship.Id}'");
        }

        Touch(s, now);
    }

    /// <summary>The outgoing relationship <paramref name="relationshipId"/>, or NotFound.</summary>
    public static Relationship Outgoing(TwinState s, string id, string relationshipId)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Outgoing.TryGetValue(relationshipId, out var relationship)
            ? relationship
            : throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{id}' has no relationship '{relationshipId}'");
    }

    /// <summary>New properties of an outgoing relationship that still exists.</summary>
    public static void UpdateOutgoing(TwinState s, string id, Relationship updated, string? ifMatch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(updated);
        CheckETag(s, ifMatch);
        Outgoing(s, id, updated.Id);
        s.Outgoing[updated.Id] = updated;
        Touch(s, now);
    }

    /// <summary>An outgoing relationship removed (whether or not it was still there).</summary>
    public static void RemoveOutgoing(TwinState s, string relationshipId, string? ifMatch, DateTimeOffset now)
    {
        CheckETag(s, ifMatch);
        s.Outgoing.Remove(relationshipId);
        Touch(s, now);
    }

    /// <summary>
    /// Whether this twin may become the target of <paramref name="incoming"/>: it exists, is not being deleted and
    /// has room. Returns the recorded container to check for a stale entry first (a new <c>contains</c> from another
    /// source), or null.
    /// </summary>
    public static string? CheckIncoming(TwinState s, string id, IncomingRelationship incoming, bool deleting)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(incoming);
        if (!s.Exists)
        {
            throw new TwinOperationException(TwinErrorCode.NotFound, $"target twin '{id}' does not exist");
        }

        if (deleting)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"target twin '{id}' is being deleted");
        }

        if (s.Incoming.Count >= TwinRules.MaxRelationshipsPerTwin)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"target twin '{id}' is already the target of {TwinRules.MaxRelationshipsPerTwin:N0} relationships, the most one twin may be");
        }

        return incoming.Name == RelationshipNames.Contains && s.ParentId is { } recorded && recorded != incoming.SourceId ? recorded : null;
    }

    /// <summary>The incoming half of a relationship; a twin has one container.</summary>
    public static void AddIncoming(TwinState s, string id, IncomingRelationship incoming)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(incoming);
        if (incoming.Name == RelationshipNames.Contains && s.ParentId is { } parent && parent != incoming.SourceId)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{id}' is already contained by '{parent}'; a twin has one container");
        }

        s.Incoming[TwinState.IncomingKey(incoming.SourceId, incoming.RelationshipId)] = incoming;
    }

    /// <summary>
    /// The incoming <c>contains</c> entries from <paramref name="parentId"/> that it no longer holds (<paramref name="held"/>
    /// are its <c>contains</c>): the outgoing side is the truth, so these are stale.
    /// </summary>
    public static IReadOnlyList<IncomingRelationship> StaleContainerEntries(TwinState s, string id, string parentId, IReadOnlyCollection<Relationship> held)
    {
        ArgumentNullException.ThrowIfNull(s);
        return [.. s.Incoming.Values
            .Where(i => i.SourceId == parentId && i.Name == RelationshipNames.Contains)
            .Where(stale => !held.Any(r => r.Id == stale.RelationshipId && r.TargetId == id))];
    }

    /// <summary>The number of relationships a delete removes; without <paramref name="cascade"/> a twin that has any is refused.</summary>
    public static int CheckDelete(TwinState s, string id, bool cascade)
    {
        ArgumentNullException.ThrowIfNull(s);
        var relationships = s.Outgoing.Count + s.Incoming.Count;
        if (relationships > 0 && !cascade)
        {
            throw new TwinOperationException(
                TwinErrorCode.Conflict,
                $"twin '{id}' has {s.Outgoing.Count} outgoing and {s.Incoming.Count} incoming relationships; remove them or delete with cascade");
        }

        return relationships;
    }

    /// <summary>The last check of a delete, under the gate: its relationships are all gone.</summary>
    public static void CheckDeletable(TwinState s, string id)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Outgoing.Count + s.Incoming.Count > 0)
        {
            throw new TwinOperationException(TwinErrorCode.Conflict, $"twin '{id}' gained relationships while being deleted; nothing was deleted, retry");
        }
    }

    /// <summary>What a write that lost to another writer (storage's ETag check) tells the caller, judged on the state reloaded since.</summary>
    public static TwinOperationException WriteConflict(TwinState reloaded, string id, string operation)
    {
        ArgumentNullException.ThrowIfNull(reloaded);
        return reloaded.Exists && operation == "create"
            ? new TwinOperationException(TwinErrorCode.AlreadyExists, $"twin '{id}' already exists")
            : new TwinOperationException(TwinErrorCode.Conflict, $"twin '{id}' was changed concurrently; read it again and retry");
    }

    /// <summary>Whether this twin holds a <c>contains</c> of <paramref name="childId"/>.</summary>
    public static bool Contains(TwinState s, string childId)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Outgoing.Values.Any(r => r.Name == RelationshipNames.Contains && r.TargetId == childId);
    }

    /// <summary>The outgoing relationships (of one name, or all), by id.</summary>
    public static ImmutableArray<Relationship> Relationships(TwinState s, string? name)
    {
        ArgumentNullException.ThrowIfNull(s);
        return [.. s.Outgoing.Values.Where(r => name is null || r.Name == name).OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The incoming relationships (of one name, or all), by source.</summary>
    public static ImmutableArray<IncomingRelationship> Incoming(TwinState s, string? name)
    {
        ArgumentNullException.ThrowIfNull(s);
        return [.. s.Incoming.Values.Where(r => name is null || r.Name == name).OrderBy(r => r.SourceId, StringComparer.Ordinal)];
    }

    /// <summary>The twins this one contains, by id.</summary>
    public static ImmutableArray<string> Children(TwinState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return [.. s.Outgoing.Values.Where(r => r.Name == RelationshipNames.Contains).Select(r => r.TargetId).Order(StringComparer.Ordinal)];
    }
}
