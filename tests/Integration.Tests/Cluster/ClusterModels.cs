using System.Collections.Immutable;

namespace TwinCluster.Integration.Tests.Cluster;

/// <summary>A small model set written for the cluster tests.</summary>
internal static class ClusterModels
{
    public const string Farm = "dtmi:itest:Farm;1";
    public const string Turbine = "dtmi:itest:Turbine;1";

    public static readonly ImmutableArray<string> All =
    [
        """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:itest:Farm;1","@type":"Interface","contents":[{"@type":"Property","name":"name","schema":"string"},{"@type":"Relationship","name":"contains","target":"dtmi:itest:Turbine;1"}]}""",
        """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:itest:Turbine;1","@type":"Interface","contents":[{"@type":"Property","name":"ratedPowerKW","schema":"double"}]}""",
    ];
}
