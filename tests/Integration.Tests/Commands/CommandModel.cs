namespace TwinCluster.Integration.Tests.Commands;

/// <summary>The model the command tests' twins use: two commands, two writable properties.</summary>
internal static class CommandModel
{
    public const string Id = "dtmi:test:commands:Drive;1";

    public const string Json = """
        {
          "@context": "dtmi:dtdl:context;3",
          "@id": "dtmi:test:commands:Drive;1",
          "@type": "Interface",
          "contents": [
            { "@type": "Property", "name": "maxPowerKW", "schema": "double", "writable": true },
            { "@type": "Property", "name": "samplingRateHz", "schema": "integer", "writable": true },
            { "@type": "Command", "name": "stop",
              "response": { "name": "result", "schema": { "@type": "Object", "fields": [ { "name": "state", "schema": "string" } ] } } },
            { "@type": "Command", "name": "curtail",
              "request": { "name": "limit", "schema": { "@type": "Object", "fields": [ { "name": "maxPowerKW", "schema": "double" } ] } },
              "response": { "name": "result", "schema": { "@type": "Object", "fields": [ { "name": "maxPowerKW", "schema": "double" } ] } } }
          ]
        }
        """;
}
