namespace TwinCluster.Grains.Queries.Adt;

/// <summary>What a token of the query text is.</summary>
public enum AdtTokenKind
{
    End,
    Identifier,
    String,
    Number,
    Symbol,
}

/// <summary>
/// One token: <paramref name="Position"/> is the 1-based character position of its first character in the query,
/// <paramref name="Text"/> its text (for a string, the value without quotes).
/// </summary>
public readonly record struct AdtToken(AdtTokenKind Kind, string Text, int Position, int Length)
{
    public bool IsKeyword(string keyword) => Kind == AdtTokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == AdtTokenKind.Symbol && Text == symbol;

    /// <summary>How an error message names the token.</summary>
    public string Describe() => Kind switch
    {
        AdtTokenKind.End => "the end of the query",
        AdtTokenKind.String => $"the string '{Text}'",
        _ => $"'{Text}'",
    };
}
