using System.Text.Json.Serialization;

namespace TwinCluster.Client.Modeling;

/// <summary>One model error as printed by <c>twin models validate --json</c>.</summary>
/// <param name="Code">Stable error code, e.g. "dtmi.invalid".</param>
/// <param name="Message">Explanation naming the element and the rule.</param>
/// <param name="Path">JSON path inside the file, e.g. <c>$.contents[2].schema</c>.</param>
/// <param name="Source">The file the path refers to, when it differs from the result's file (model sets, resolved dependencies).</param>
public sealed record ModelFileError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("source"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source = null);
