using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The outcome of an upload. Uploads are atomic: when <paramref name="Errors"/> is not empty nothing was stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.ModelUploadResult")]
public sealed record ModelUploadResult(
    [property: Id(0)] ImmutableArray<string> Uploaded,
    [property: Id(1)] ImmutableArray<ModelIssue> Errors)
{
    /// <summary>True when the models were stored.</summary>
    public bool Succeeded => Errors.IsDefaultOrEmpty;

    /// <summary>How an error's <see cref="ModelIssue.Source"/> names the uploaded document at position <paramref name="index"/>.</summary>
    public static string DocumentName(int index) => $"document[{index}]";

    /// <summary>The position in the upload of the document an error's source names, or null for another source.</summary>
    public static int? DocumentIndex(string? source) =>
        source is not null && source.StartsWith("document[", StringComparison.Ordinal)
            && source.IndexOf(']', StringComparison.Ordinal) is > 9 and var end
            && int.TryParse(source.AsSpan(9, end - 9), out var index)
            ? index
            : null;
}
