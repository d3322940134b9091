using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Adt;

/// <summary>
/// Twins and relationships in Azure Digital Twins' JSON form: <c>$dtId</c>, <c>$etag</c>, <c>$metadata</c> (with
/// <c>$model</c> and <c>$lastUpdateTime</c>), then the properties; relationships with <c>$relationshipId</c>,
/// <c>$sourceId</c>, <c>$targetId</c>, <c>$relationshipName</c>, <c>$etag</c>, then their properties.
/// </summary>
public static class AdtJson
{
    /// <summary>A stored ETag as ADT shows it: a weak entity tag.</summary>
    public static string ETag(string etag) => $"W/\"{etag}\"";

    /// <summary>
    /// A relationship's ETag. Relationships carry none of their own, so it is a digest of everything ADT returns for
    /// it: it changes exactly when the relationship does.
    /// </summary>
    public static string RelationshipETag(Relationship relationship)
    {
        var text = string.Join('\n', relationship.Id, relationship.Name, relationship.SourceId, relationship.TargetId, relationship.PropertiesJson);
        return ETag(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 8));
    }

    /// <summary>The twin as ADT's JSON text.</summary>
    public static string Twin(TwinSnapshot twin) => Write(writer => WriteTwin(writer, twin));

    /// <summary>The relationship as ADT's JSON text.</summary>
    public static string Relationship(Relationship relationship) => Write(writer => WriteRelationship(writer, relationship));

    /// <summary>Writes the twin as one JSON object.</summary>
    public static void WriteTwin(Utf8JsonWriter writer, TwinSnapshot twin)
    {
        writer.WriteStartObject();
        writer.WriteString("$dtId", twin.Id);
        writer.WriteString("$etag", ETag(twin.ETag));
        writer.WriteStartObject("$metadata");
        writer.WriteString("$model", twin.ModelId);
        writer.WriteString("$lastUpdateTime", Time(twin.UpdatedAt));
        writer.WriteEndObject();
        WriteMembers(writer, twin.PropertiesJson);
        writer.WriteEndObject();
    }

    /// <summary>Writes the relationship as one JSON object.</summary>
    public static void WriteRelationship(Utf8JsonWriter writer, Relationship relationship)
    {
        writer.WriteStartObject();
        writer.WriteString("$relationshipId", relationship.Id);
        writer.WriteString("$sourceId", relationship.SourceId);
        writer.WriteString("$targetId", relationship.TargetId);
        writer.WriteString("$relationshipName", relationship.Name);
        writer.WriteString("$etag", RelationshipETag(relationship));
        WriteMembers(writer, relationship.PropertiesJson);
        writer.WriteEndObject();
    }

    /// <summary>ADT's time format: UTC, ISO 8601 with seven fractional digits.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the text.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMembers(Utf8JsonWriter writer, string objectJson)
    {
        if (string.IsNullOrWhiteSpace(objectJson))
        {
            return;
        }

        using var document = JsonDocument.Parse(objectJson);
        foreach (var member in document.RootElement.EnumerateObject())
        {
            member.WriteTo(writer);
        }
    }
}
