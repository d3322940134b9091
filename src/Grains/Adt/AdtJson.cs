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
    // ADT's own output does not escape quotes or non-ASCII text inside strings; neither does this.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    /// <summary>The twin as ADT's JSON, UTF-8 encoded (what a response sends, without a string in between).</summary>
    public static byte[] TwinUtf8(TwinSnapshot twin)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteTwin(writer, twin);
        }

        return buffer.WrittenSpan.ToArray();
    }

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
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(twin.PropertiesJson) ? "{}" : twin.PropertiesJson);
        WritePropertyTimes(writer, twin, document.RootElement, prefix: "");
        writer.WriteEndObject();
        foreach (var member in document.RootElement.EnumerateObject())
        {
            if (IsComponent(member.Value))
            {
                writer.WritePropertyName(member.Name);
                WriteComponentBody(writer, twin, member.Name, member.Value);
            }
            else if (!member.Name.StartsWith('$'))
            {
                member.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// One component of the twin as ADT returns it (its properties and a <c>$metadata</c> of their times), or null when
    /// the twin has no object-valued member of that name.
    /// </summary>
    public static string? Component(TwinSnapshot twin, string name)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(twin.PropertiesJson) ? "{}" : twin.PropertiesJson);
        if (!document.RootElement.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return Write(writer => WriteComponentBody(writer, twin, name, value));
    }

    /// <summary>
    /// A component is an object-valued member that carries a <c>$metadata</c> object, as ADT asks clients to write
    /// components (<c>"$metadata": {}</c>); its members get their own times in there.
    /// </summary>
    private static bool IsComponent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object;

    private static void WriteComponentBody(Utf8JsonWriter writer, TwinSnapshot twin, string name, JsonElement component)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("$metadata");
        var own = twin.PropertyTimes?.GetValueOrDefault(name);
        writer.WriteString("$lastUpdateTime", Time(own?.LastUpdateTime ?? twin.UpdatedAt));
        WritePropertyTimes(writer, twin, component, prefix: name + "/");
        writer.WriteEndObject();
        foreach (var member in component.EnumerateObject())
        {
            if (!member.Name.StartsWith('$'))
            {
                member.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Per property: <c>{"lastUpdateTime": …, "sourceTime": …}</c> (sourceTime only when one was given).</summary>
    private static void WritePropertyTimes(Utf8JsonWriter writer, TwinSnapshot twin, JsonElement properties, string prefix)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in properties.EnumerateObject())
        {
            if (member.Name.StartsWith('$'))
            {
                continue;
            }

            var time = twin.PropertyTimes?.GetValueOrDefault(prefix + member.Name);
            writer.WriteStartObject(member.Name);
            writer.WriteString("lastUpdateTime", Time(time?.LastUpdateTime ?? twin.UpdatedAt));
            if (time?.SourceTime is { } source)
            {
                writer.WriteString("sourceTime", Time(source));
            }

            writer.WriteEndObject();
        }
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
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
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
