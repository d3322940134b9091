using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

public sealed partial class TwinGrain
{
    public async Task<Relationship> UpdateRelationship(string relationshipId, string propertiesJson, string? ifMatch)
    {
        await Require(ifMatch);
        if (!S.Outgoing.TryGetValue(relationshipId, out var current))
        {
            throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{Id}' has no relationship '{relationshipId}'");
        }

        var text = await services.Rules.CheckRelationshipProperties(S.ModelId, current.Name, propertiesJson);
        var updated = current with { PropertiesJson = text };
        await Mutate("relate", s =>
        {
            CheckETag(s, ifMatch);
            if (!s.Outgoing.ContainsKey(relationshipId))
            {
                throw new TwinOperationException(TwinErrorCode.NotFound, $"twin '{Id}' has no relationship '{relationshipId}'");
            }

            s.Outgoing[relationshipId] = updated;
            Touch(s);
        });
        return updated;
    }
}
