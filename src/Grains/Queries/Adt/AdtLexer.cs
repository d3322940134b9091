using System.Collections.Immutable;
using System.Globalization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>Splits query text into tokens, each with its position; a character outside the language is refused.</summary>
public static class AdtLexer
{
    /// <summary>The longest query text accepted (ADT's own limit is 8,000 characters).</summary>
    public const int MaxQueryLength = 8_000;

    private static readonly string[] TwoCharSymbols = ["!=", "<>", "<=", ">=", ".."];

    public static ImmutableArray<AdtToken> Tokenize(string query)
    {
        if (query.Length > MaxQueryLength)
        {
            throw Error(1, $"the query is {query.Length:N0} characters; at most {MaxQueryLength:N0} are accepted");
        }

        var tokens = ImmutableArray.CreateBuilder<AdtToken>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < query.Length && query[i + 1] == '-' && !(i + 2 < query.Length && query[i + 2] == '>'))
            {
                // An SQL line comment, as in ADT's own examples.
                while (i < query.Length && query[i] != '\n')
                {
                    i++;
                }
            }
            else if (char.IsLetter(c) || c == '_' || c == '$')
            {
                var start = i++;
                while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] == '_'))
                {
                    i++;
                }

                if (c == '$' && i == start + 1)
                {
                    throw Error(start + 1, "expected a name after '$'");
                }

                tokens.Add(new AdtToken(AdtTokenKind.Identifier, query[start..i], start + 1, i - start));
            }
            else if (char.IsDigit(c))
            {
                var start = i;
                while (i < query.Length && char.IsDigit(query[i]))
                {
                    i++;
                }

                // "1..3" is a hop range, not the number 1.
                if (i + 1 < query.Length && query[i] == '.' && char.IsDigit(query[i + 1]))
                {
                    i++;
                    while (i < query.Length && char.IsDigit(query[i]))
                    {
                        i++;
                    }
                }

                if (i < query.Length && (query[i] == 'e' || query[i] == 'E'))
                {
                    var exponent = i + 1;
                    if (exponent < query.Length && (query[exponent] == '+' || query[exponent] == '-'))
                    {
                        exponent++;
                    }

                    if (exponent < query.Length && char.IsDigit(query[exponent]))
                    {
                        i = exponent;
                        while (i < query.Length && char.IsDigit(query[i]))
                        {
                            i++;
                        }
                    }
                }

                var text = query[start..i];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw Error(start + 1, $"'{text}' is not a number");
                }

                tokens.Add(new AdtToken(AdtTokenKind.Number, text, start + 1, i - start));
            }
            else if (c is '\'' or '"')
            {
                var start = i++;
                var value = new System.Text.StringBuilder();
                while (true)
                {
                    if (i >= query.Length)
                    {
                        throw Error(start + 1, "this string is never closed");
                    }

                    if (query[i] == '\\' && i + 1 < query.Length)
                    {
                        value.Append(query[i + 1]);
                        i += 2;
                    }
                    else if (query[i] == c && i + 1 < query.Length && query[i + 1] == c)
                    {
                        value.Append(c);
                        i += 2;
                    }
                    else if (query[i] == c)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(query[i++]);
                    }
                }

                tokens.Add(new AdtToken(AdtTokenKind.String, value.ToString(), start + 1, i - start));
            }
            else if (i + 1 < query.Length && Array.IndexOf(TwoCharSymbols, query.Substring(i, 2)) >= 0)
            {
                tokens.Add(new AdtToken(AdtTokenKind.Symbol, query.Substring(i, 2), i + 1, 2));
                i += 2;
            }
            else if ("*,()[].=<>-:|".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new AdtToken(AdtTokenKind.Symbol, c.ToString(), i + 1, 1));
                i++;
            }
            else
            {
                throw Error(i + 1, $"the character '{c}' is not part of the query language");
            }
        }

        tokens.Add(new AdtToken(AdtTokenKind.End, "", query.Length + 1, 0));
        return tokens.ToImmutable();
    }

    public static TwinOperationException Error(int position, string message) =>
        new(TwinErrorCode.Invalid, $"query position {position}: {message}");
}
