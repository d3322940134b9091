using System.Text.Json;
using TwinCluster.Grains.Adt;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Turns result rows into ADT's JSON: the twin or relationship for <c>SELECT *</c>, otherwise an object with one
/// member per projection (a missing property is left out of the row, as ADT does).
/// </summary>
public static class AdtRowWriter
{
    /// <summary>
    /// The collections whose twins a row writes in full or with their ETag or metadata: those must be read from their
    /// grains (the index has only model and properties).
    /// </summary>
    public static IReadOnlyList<string> SnapshotCollections(AdtQuery query, string starCollection) => query.Select.IsStar
        ? [starCollection]
        : [.. query.Select.Projections
            .Where(p => p.Path.Members.IsEmpty || p.Path.Members[0] is "$etag" or "$metadata")
            .Select(p => p.Path.Collection)
            .Distinct(StringComparer.Ordinal)];

    public static string Write(AdtQuery query, string starCollection, AdtRow row)
    {
        if (query.Select.IsStar)
        {
            return AdtJson.Write(writer => WriteItem(writer, row[starCollection]!));
        }

        return AdtJson.Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var projection in query.Select.Projections)
            {
                if (row[projection.Path.Collection] is not { } item)
                {
                    continue;
                }

                var members = projection.Path.Members;
                if (members.IsEmpty)
                {
                    writer.WritePropertyName(projection.Name);
                    WriteItem(writer, item);
                }
                else if (item is AdtTwin { Snapshot: { } snapshot } && members is ["$metadata"])
                {
                    writer.WritePropertyName(projection.Name);
                    writer.WriteStartObject();
                    writer.WriteString("$model", snapshot.ModelId);
                    writer.WriteString("$lastUpdateTime", AdtJson.Time(snapshot.UpdatedAt));
                    writer.WriteEndObject();
                }
                else if (item.Get(members) is { Kind: not AdtValueKind.Undefined } value && !(value.Kind == AdtValueKind.Object && value.Element.ValueKind == JsonValueKind.Undefined))
                {
                    writer.WritePropertyName(projection.Name);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        });
    }

    public static string Count(long count) => AdtJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("COUNT", count);
        writer.WriteEndObject();
    });

    private static void WriteItem(Utf8JsonWriter writer, AdtItem item)
    {
        switch (item)
        {
            case AdtTwin { Snapshot: { } snapshot }:
                AdtJson.WriteTwin(writer, snapshot);
                break;
            case AdtRelationship relationship:
                AdtJson.WriteRelationship(writer, relationship.Relationship);
                break;
            default:
                throw new InvalidOperationException("a twin is written only after it was read from its grain");
        }
    }
}
