namespace TwinCluster.Grains.Interfaces;

/// <summary>Relationship names with a platform meaning.</summary>
public static class RelationshipNames
{
    /// <summary>The hierarchy: farm contains turbine contains component. A twin has at most one container.</summary>
    public const string Contains = "contains";
}
