using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Json;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// Per-property times, as Azure Digital Twins keeps them in <c>$metadata</c>: a property (and each member of an
/// object-valued property or component, keyed <c>name/member</c>) gets a new last-update time when a write changes it;
/// a patch may give its source time with an operation on <c>/$metadata/{name}/sourceTime</c> (or
/// <c>/{component}/$metadata/{name}/sourceTime</c>), which is taken off the patch before it is applied.
/// </summary>
public static class PropertyTimes
{
    /// <summary>Records the write of <paramref name="after"/> over <paramref name="before"/> (null on create).</summary>
    public static void Update(Dictionary<string, PropertyTime> times, string? before, string after, DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? sourceTimes = null)
    {
        var old = before is null ? null : JsonNode.Parse(before) as JsonObject;
        var next = JsonNode.Parse(after) as JsonObject ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in next)
        {
            if (name.StartsWith('$'))
            {
                continue;
            }

            JsonNode? was = null;
            var existed = old is not null && old.TryGetPropertyValue(name, out was);
            Touch(times, seen, name, existed, was, value, now, sourceTimes);
            if (value is JsonObject members)
            {
                foreach (var (member, inner) in members)
                {
                    if (!member.StartsWith('$'))
                    {
                        JsonNode? wasInner = null;
                        var innerExisted = was is JsonObject o && o.TryGetPropertyValue(member, out wasInner);
                        Touch(times, seen, name + "/" + member, innerExisted, wasInner, inner, now, sourceTimes);
                    }
                }
            }
        }

        foreach (var key in times.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            times.Remove(key);
        }
    }

    /// <summary>
    /// Takes the <c>$metadata/…/sourceTime</c> operations off a JSON Patch: returns the rest of the patch and the
    /// source times by property key. Other operations on <c>$metadata</c> are refused (it is not a property).
    /// </summary>
    public static (string Patch, Dictionary<string, DateTimeOffset> SourceTimes) TakeSourceTimes(string jsonPatch)
    {
        var sourceTimes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (!jsonPatch.Contains("$metadata", StringComparison.Ordinal))
        {
            return (jsonPatch, sourceTimes);
        }

        JsonArray operations;
        try
        {
            operations = JsonNode.Parse(jsonPatch) as JsonArray ?? throw Invalid("patch must be a JSON array of operations");
        }
        catch (JsonException ex)
        {
            throw Invalid($"patch is not valid JSON: {ex.Message}");
        }

        var rest = new JsonArray();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var path = operation?["path"]?.GetValueKind() == JsonValueKind.String ? operation["path"]!.GetValue<string>() : null;
            var parts = path?.Split('/');
            var at = parts is null ? -1 : Array.IndexOf(parts, "$metadata");
            if (at < 0)
            {
                rest.Add(operation?.DeepClone());
                continue;
            }

            // ["", "$metadata", name, "sourceTime"] or ["", component, "$metadata", name, "sourceTime"]
            if (!(at is 1 or 2) || parts!.Length != at + 3 || parts[at + 2] != "sourceTime")
            {
                throw Invalid($"patch[{i}] path '{path}': only /$metadata/{{property}}/sourceTime can be written under $metadata");
            }

            var op = operation!["op"]?.GetValueKind() == JsonValueKind.String ? operation["op"]!.GetValue<string>() : null;
            if (op is not ("add" or "replace"))
            {
                throw Invalid($"patch[{i}] path '{path}': sourceTime takes 'add' or 'replace', not '{op}'");
            }

            var value = operation["value"];
            if (value?.GetValueKind() != JsonValueKind.String
                || !DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw Invalid($"patch[{i}] path '{path}': sourceTime must be an ISO 8601 date-time string");
            }

            var name = Unescape(parts[at + 1]);
            sourceTimes[at == 1 ? name : Unescape(parts[1]) + "/" + name] = time.ToUniversalTime();
        }

        return (rest.ToJsonString(), sourceTimes);
    }

    private static void Touch(Dictionary<string, PropertyTime> times, HashSet<string> seen, string key, bool existed, JsonNode? was, JsonNode? value,
        DateTimeOffset now, IReadOnlyDictionary<string, DateTimeOffset>? sourceTimes)
    {
        seen.Add(key);
        var source = sourceTimes is not null && sourceTimes.TryGetValue(key, out var s) ? s : (DateTimeOffset?)null;
        if (!existed || !times.ContainsKey(key) || !JsonNode.DeepEquals(was, value) || source is not null)
        {
            times[key] = new PropertyTime(now, source ?? (existed && JsonNode.DeepEquals(was, value) ? times.GetValueOrDefault(key)?.SourceTime : null));
        }
    }

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static TwinOperationException Invalid(string message) => new(TwinErrorCode.Invalid, message);
}
