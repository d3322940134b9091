using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.History;

/// <summary>
/// A twin's whole state as the history keeps it (before and after each change): properties and relationship
/// properties as JSON objects, so the database can look into them.
/// </summary>
public static class TwinStateJson
{
    /// <summary>The JSON object of a snapshot; null for null.</summary>
    public static string? Write(TwinSnapshot? twin)
    {
        if (twin is null)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", twin.Id);
            json.WriteString("model", twin.ModelId);
            json.WritePropertyName("properties");
            json.WriteRawValue(twin.PropertiesJson);
            json.WriteStartArray("relationships");
            foreach (var r in twin.Relationships)
            {
                json.WriteStartObject();
                json.WriteString("id", r.Id);
                json.WriteString("name", r.Name);
                json.WriteString("target", r.TargetId);
                json.WritePropertyName("properties");
                json.WriteRawValue(string.IsNullOrWhiteSpace(r.PropertiesJson) ? "{}" : r.PropertiesJson);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("incoming");
            foreach (var i in twin.Incoming)
            {
                json.WriteStartObject();
                json.WriteString("id", i.RelationshipId);
                json.WriteString("name", i.Name);
                json.WriteString("source", i.SourceId);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("etag", twin.ETag);
            json.WriteString("createdAt", twin.CreatedAt);
            json.WriteString("updatedAt", twin.UpdatedAt);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The snapshot written by <see cref="Write"/>.</summary>
    public static TwinSnapshot Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var id = root.GetProperty("id").GetString()!;
        var relationships = root.GetProperty("relationships").EnumerateArray()
            .Select(r => new Relationship(
                r.GetProperty("id").GetString()!, r.GetProperty("name").GetString()!, id,
                r.GetProperty("target").GetString()!, r.GetProperty("properties").GetRawText()))
            .ToImmutableArray();
        var incoming = root.GetProperty("incoming").EnumerateArray()
            .Select(i => new IncomingRelationship(i.GetProperty("id").GetString()!, i.GetProperty("name").GetString()!, i.GetProperty("source").GetString()!))
            .ToImmutableArray();
        return new TwinSnapshot(
            id,
            root.GetProperty("model").GetString()!,
            root.GetProperty("properties").GetRawText(),
            relationships,
            incoming,
            root.GetProperty("etag").GetString()!,
            root.GetProperty("createdAt").GetDateTimeOffset(),
            root.GetProperty("updatedAt").GetDateTimeOffset());
    }
}
