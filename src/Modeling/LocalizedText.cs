namespace TwinCluster.Modeling;

/// <summary>A language-tagged string (displayName, description); the default language is "en".</summary>
public sealed class LocalizedText
{
    internal LocalizedText(IReadOnlyDictionary<string, string> values) => Values = values;

    /// <summary>Text per language tag.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The English text, else any text, else null.</summary>
    public string? Default => Values.TryGetValue("en", out var en) ? en : Values.Values.FirstOrDefault();

    /// <inheritdoc/>
    public override string ToString() => Default ?? string.Empty;
}
