using TwinCluster.Modeling;

namespace TwinCluster.Grains.Tests.Commands;

/// <summary>A small drive with two commands and two writable properties, parsed as the grains parse models.</summary>
internal static class CommandModels
{
    public const string DriveId = "dtmi:test:commands:Drive;1";

    public const string Drive = """
        {
          "@context": "dtmi:dtdl:context;3",
          "@id": "dtmi:test:commands:Drive;1",
          "@type": "Interface",
          "contents": [
            { "@type": "Property", "name": "maxPowerKW", "schema": "double", "writable": true },
            { "@type": "Property", "name": "samplingRateHz", "schema": "integer", "writable": true },
            { "@type": "Property", "name": "serial", "schema": "string" },
            { "@type": "Command", "name": "stop",
              "response": { "name": "result", "schema": { "@type": "Object", "fields": [ { "name": "state", "schema": "string" } ] } } },
            { "@type": "Command", "name": "curtail",
              "request": { "name": "limit", "schema": { "@type": "Object", "fields": [ { "name": "maxPowerKW", "schema": "double" } ] } },
              "response": { "name": "result", "schema": { "@type": "Object", "fields": [ { "name": "maxPowerKW", "schema": "double" } ] } } }
          ]
        }
        """;

    public static InterfaceModel Parse()
    {
        var model = new ModelParser().ParseClosure(DriveId, [Drive], out var result);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return model!;
    }
}
