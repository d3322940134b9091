using System.Text.Json.Serialization;

namespace TwinCluster.Client.Modeling;

/// <summary>The verdict for one validated file (with --each) or one model set: {"file", "valid", "errors"}.</summary>
/// <param name="File">The file, or for a model set the paths it was built from.</param>
/// <param name="Valid">True when the file or set has no error.</param>
/// <param name="Errors">The errors; empty when valid.</param>
public sealed record ModelFileResult(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("errors")] IReadOnlyList<ModelFileError> Errors);
