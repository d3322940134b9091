namespace TwinCluster.Modeling;

/// <summary>A rule violation: a stable <paramref name="Code"/>, a message naming the element and the rule, and the JSON path.</summary>
/// <param name="Code">Stable machine-readable code such as "dtmi.invalid" or "property.type".</param>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$[0].contents[2].schema</c>.</param>
/// <param name="Source">Name of the <see cref="ModelSource"/> the path refers to, when known.</param>
public sealed record ModelError(string Code, string Message, string Path, string? Source = null)
{
    /// <inheritdoc/>
    public override string ToString() => Source is null ? $"{Code} at {Path}: {Message}" : $"{Code} at {Source}:{Path}: {Message}";
}
