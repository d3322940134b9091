using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

public sealed partial class TwinGrain
{
    public async Task<Relationship> UpdateRelationship(string relationshipId, string propertiesJson, string? ifMatch)
    {
        await Require(ifMatch);
        var current = TwinEdits.Outgoing(S, Id, relationshipId);
        var text = await services.Rules.CheckRelationshipProperties(S.ModelId, current.Name, propertiesJson);
        var updated = current with { PropertiesJson = text };
        await Mutate("relate", s => TwinEdits.UpdateOutgoing(s, Id, updated, ifMatch, services.Time.GetUtcNow()));
        return updated;
    }
}
