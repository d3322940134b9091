using System.Collections.Immutable;

namespace TwinCluster.Grains.Tests;

/// <summary>A small model set written for these tests: farm contains turbines, turbines contain bearings.</summary>
public static class TestModels
{
    public const string Farm = "dtmi:test:Farm;1";
    public const string Turbine = "dtmi:test:Turbine;1";
    public const string Bearing = "dtmi:test:Bearing;1";
    public const string MainBearing = "dtmi:test:MainBearing;1";

    public static readonly ImmutableArray<string> All =
    [
        """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Farm;1","@type":"Interface","contents":[
          {"@type":"Property","name":"name","schema":"string","writable":true},
          {"@type":"Relationship","name":"contains","target":"dtmi:test:Turbine;1"}]}
        """,
        """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Turbine;1","@type":"Interface","contents":[
          {"@type":"Property","name":"name","schema":"string","writable":true},
          {"@type":"Property","name":"ratedPowerKW","schema":"double","writable":true},
          {"@type":"Property","name":"state","writable":true,"schema":{"@type":"Enum","valueSchema":"string","enumValues":[
            {"name":"running","enumValue":"running"},{"name":"stopped","enumValue":"stopped"}]}},
          {"@type":"Relationship","name":"contains"},
          {"@type":"Relationship","name":"feeds","properties":[{"@type":"Property","name":"cableKm","schema":"double"}]}]}
        """,
        """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Bearing;1","@type":"Interface","contents":[
          {"@type":"Property","name":"balls","schema":"integer","writable":true},
          {"@type":"Property","name":"pitchDiameterMm","schema":"double","writable":true},
          {"@type":"Property","name":"ballDiameterMm","schema":"double","writable":true},
          {"@type":"Property","name":"contactAngleDeg","schema":"double","writable":true},
          {"@type":"Property","name":"vibrationSampleRateHz","schema":"double","writable":true},
          {"@type":"Property","name":"bearingType","schema":"string","writable":true}]},
         {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:MainBearing;1","@type":"Interface","extends":"dtmi:test:Bearing;1","contents":[
          {"@type":"Property","name":"position","schema":"string","writable":true}]}]
        """,
    ];
}
