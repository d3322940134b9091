using System.Collections.Immutable;
using System.Globalization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Recursive-descent parser of the Azure Digital Twins query language. Every refusal is an Invalid
/// <see cref="TwinOperationException"/> whose message starts "query position N:" and says what was expected.
/// Paths are resolved against the FROM clause's collections here, so later stages see only known aliases.
/// </summary>
public sealed class AdtParser
{
    /// <summary>The most JOINs one query may have, as in ADT.</summary>
    public const int MaxJoins = 5;

    /// <summary>The longest variable hop range of a MATCH edge.</summary>
    public const int MaxHops = 10;

    /// <summary>The internal name of an unnamed FROM DIGITALTWINS or FROM RELATIONSHIPS collection.</summary>
    public const string ImplicitCollection = "#this";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "JOIN", "RELATED", "AND", "OR", "NOT", "IN", "NIN", "MATCH", "AS", "TOP", "COUNT",
        "DIGITALTWINS", "RELATIONSHIPS", "TRUE", "FALSE", "NULL",
    };

    private static readonly HashSet<string> ValueFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_PRIMITIVE", "IS_OBJECT",
    };

    private static readonly HashSet<string> StringFunctions = new(StringComparer.OrdinalIgnoreCase) { "STARTSWITH", "ENDSWITH", "CONTAINS" };

    private readonly ImmutableArray<AdtToken> _tokens;
    private readonly Dictionary<string, bool> _collections = new(StringComparer.Ordinal); // alias → is a twin collection
    private int _next;

    private AdtParser(string query) => _tokens = AdtLexer.Tokenize(query);

    private AdtToken Current => _tokens[_next];

    public static AdtQuery Parse(string query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw AdtLexer.Error(1, "the query is empty; expected SELECT");
        }

        return new AdtParser(query).ParseQuery();
    }

    private AdtQuery ParseQuery()
    {
        Expect("SELECT", "at the start of the query");
        var (top, count, star, rawProjections) = ParseSelect();
        Expect("FROM", rawProjections.Count > 0 ? "after the projection" : "after SELECT");
        var source = ParseFrom();
        if (star is { } starToken && source is not AdtTwinSource { Joins.IsEmpty: true } and not AdtRelationshipSource)
        {
            throw AdtLexer.Error(starToken.Position, "SELECT * cannot be used with JOIN or MATCH; name the collections to return, e.g. SELECT T, CT");
        }

        var projections = ImmutableArray.CreateBuilder<AdtProjection>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (first, members, alias) in rawProjections)
        {
            var path = Resolve(first, members);
            var name = alias?.Text ?? (path.Members.IsEmpty ? path.Collection : path.Members[^1]);
            if (name == ImplicitCollection)
            {
                throw AdtLexer.Error(first.Position, $"'{first.Text}' is not a collection of this query");
            }

            if (!names.Add(name))
            {
                throw AdtLexer.Error((alias ?? first).Position, $"the column name '{name}' is used twice; give one of them another name with AS");
            }

            projections.Add(new AdtProjection(path, name, first.Position));
        }

        AdtExpression? where = null;
        if (Current.IsKeyword("WHERE"))
        {
            _next++;
            where = ParseOr();
        }

        if (Current.Kind != AdtTokenKind.End)
        {
            throw Unexpected(where is null ? "WHERE or the end of the query" : "AND, OR or the end of the query");
        }

        if (source is AdtMatchSource or AdtTwinSource { Joins.IsEmpty: false } && where is null)
        {
            throw AdtLexer.Error(Current.Position, "a JOIN or MATCH query needs a WHERE clause that picks its twins by $dtId");
        }

        return new AdtQuery(new AdtSelect(top, count, projections.ToImmutable()), source, where);
    }

    private (int? Top, bool Count, AdtToken? Star, List<(AdtToken First, List<AdtToken> Members, AdtToken? Alias)> Projections) ParseSelect()
    {
        int? top = null;
        if (Current.IsKeyword("TOP"))
        {
            _next++;
            ExpectSymbol("(", "after TOP");
            var number = Current;
            if (number.Kind != AdtTokenKind.Number || !int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw Unexpected("a whole number of at least 1 in TOP( )");
            }

            _next++;
            top = n;
            ExpectSymbol(")", "after the TOP count");
        }

        if (Current.IsSymbol("*"))
        {
            var star = Current;
            _next++;
            return (top, false, star, []);
        }

        if (Current.IsKeyword("COUNT"))
        {
            _next++;
            ExpectSymbol("(", "after COUNT");
            ExpectSymbol(")", "after COUNT(");
            return (top, true, null, []);
        }

        var projections = new List<(AdtToken, List<AdtToken>, AdtToken?)>();
        if (top is not null && Current.IsKeyword("FROM"))
        {
            return (top, false, null, projections);
        }

        while (true)
        {
            var first = Current;
            if (first.Kind != AdtTokenKind.Identifier || Reserved.Contains(first.Text))
            {
                throw Unexpected(projections.Count == 0 ? "*, COUNT(), TOP( ) or a collection to return" : "a collection or property to return after ','");
            }

            _next++;
            var members = ParseMembers();
            AdtToken? alias = null;
            if (Current.IsKeyword("AS"))
            {
                _next++;
                alias = ExpectName("a column name after AS");
            }

            projections.Add((first, members, alias));
            if (!Current.IsSymbol(","))
            {
                return (top, false, null, projections);
            }

            _next++;
        }
    }

    private List<AdtToken> ParseMembers()
    {
        var members = new List<AdtToken>();
        while (Current.IsSymbol("."))
        {
            _next++;
            if (Current.Kind != AdtTokenKind.Identifier)
            {
                throw Unexpected("a property name after '.'");
            }

            members.Add(Current);
            _next++;
        }

        return members;
    }

    private AdtSource ParseFrom()
    {
        if (Current.IsKeyword("RELATIONSHIPS"))
        {
            _next++;
            var alias = OptionalAlias();
            _collections[alias?.Text ?? ImplicitCollection] = false;
            if (Current.IsKeyword("JOIN") || Current.IsKeyword("MATCH"))
            {
                throw AdtLexer.Error(Current.Position, $"{Current.Text.ToUpperInvariant()} works on FROM DIGITALTWINS, not FROM RELATIONSHIPS");
            }

            return new AdtRelationshipSource(alias?.Text);
        }

        Expect("DIGITALTWINS", "after FROM (or RELATIONSHIPS)");
        if (Current.IsKeyword("MATCH"))
        {
            _next++;
            return ParseMatch();
        }

        var twins = OptionalAlias();
        _collections[twins?.Text ?? ImplicitCollection] = true;
        var joins = ImmutableArray.CreateBuilder<AdtJoin>();
        while (Current.IsKeyword("JOIN"))
        {
            var join = Current;
            if (twins is null)
            {
                throw AdtLexer.Error(join.Position, "JOIN needs the twin collection to have a name, e.g. FROM DIGITALTWINS T JOIN CT RELATED T.contains");
            }

            if (joins.Count == MaxJoins)
            {
                throw AdtLexer.Error(join.Position, $"at most {MaxJoins} JOINs are allowed in one query");
            }

            _next++;
            var target = DeclareName(true, "the name of the joined twins after JOIN");
            Expect("RELATED", "after the JOIN name");
            var source = ExpectName("the twin collection a relationship starts from after RELATED");
            if (!_collections.TryGetValue(source.Text, out var isTwin) || !isTwin || source.Text == target.Text)
            {
                throw AdtLexer.Error(source.Position, $"'{source.Text}' is not a twin collection named before this JOIN");
            }

            ExpectSymbol(".", "between the collection and the relationship name");
            var relationship = ExpectName("a relationship name after '.'");
            var relationshipAlias = OptionalAlias();
            if (relationshipAlias is { } r)
            {
                Declare(r, false);
            }

            joins.Add(new AdtJoin(target.Text, source.Text, relationship.Text, relationshipAlias?.Text, join.Position));
        }

        return new AdtTwinSource(twins?.Text, joins.ToImmutable());
    }

    private AdtMatchSource ParseMatch()
    {
        var nodes = ImmutableArray.CreateBuilder<AdtMatchNode>();
        var edges = ImmutableArray.CreateBuilder<AdtMatchEdge>();
        nodes.Add(ParseNode(0));
        while (Current.IsSymbol("-") || (Current.IsSymbol("<") && Adjacent(_next, _next + 1) && _tokens[_next + 1].IsSymbol("-")))
        {
            edges.Add(ParseEdge());
            nodes.Add(ParseNode(nodes.Count));
        }

        return new AdtMatchSource(nodes.ToImmutable(), edges.ToImmutable());
    }

    private AdtMatchNode ParseNode(int index)
    {
        var open = Current;
        ExpectSymbol("(", index == 0 ? "after MATCH" : "after the relationship condition");
        AdtMatchNode node;
        if (Current.IsSymbol(")"))
        {
            node = new AdtMatchNode("#" + index.ToString(CultureInfo.InvariantCulture), false, open.Position);
        }
        else
        {
            var name = DeclareName(true, "a twin name or ')' in the MATCH node");
            node = new AdtMatchNode(name.Text, true, name.Position);
        }

        ExpectSymbol(")", "to close the MATCH node");
        return node;
    }

    private AdtMatchEdge ParseEdge()
    {
        var start = Current;
        var incoming = start.IsSymbol("<");
        _next += incoming ? 2 : 1;
        ExpectSymbol("[", "to open the relationship condition, e.g. -[:contains]->");
        string? alias = null;
        if (Current.Kind == AdtTokenKind.Identifier && !Reserved.Contains(Current.Text))
        {
            alias = Declare(Current, false).Text;
            _next++;
        }

        var names = ImmutableArray.CreateBuilder<string>();
        if (Current.IsSymbol(":"))
        {
            _next++;
            names.Add(ExpectName("a relationship name after ':'").Text);
            while (Current.IsSymbol("|"))
            {
                _next++;
                names.Add(ExpectName("a relationship name after '|'").Text);
            }
        }

        var (min, max) = (1, 1);
        if (Current.IsSymbol("*"))
        {
            var hops = Current;
            _next++;
            (min, max) = (1, MaxHops);
            if (Current.Kind == AdtTokenKind.Number)
            {
                min = max = HopCount();
            }

            if (Current.IsSymbol(".."))
            {
                _next++;
                max = Current.Kind == AdtTokenKind.Number ? HopCount() : MaxHops;
            }

            if (min > max)
            {
                throw AdtLexer.Error(hops.Position, $"the hop range {min}..{max} is empty");
            }

            if (alias is not null && (min, max) != (1, 1))
            {
                throw AdtLexer.Error(start.Position, $"the relationship variable '{alias}' needs a single hop; drop it or the hop range");
            }
        }

        ExpectSymbol("]", "to close the relationship condition");
        var dash = Current;
        ExpectSymbol("-", "after ']'");
        var outgoing = Current.IsSymbol(">") && dash.Position + 1 == Current.Position;
        if (outgoing)
        {
            if (incoming)
            {
                throw AdtLexer.Error(start.Position, "a relationship condition points one way: <-[…]- or -[…]->, not both");
            }

            _next++;
        }

        var direction = incoming ? AdtDirection.In : outgoing ? AdtDirection.Out : AdtDirection.Either;
        return new AdtMatchEdge(alias, names.ToImmutable(), min, max, direction, start.Position);
    }

    private int HopCount()
    {
        var token = Current;
        if (!int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxHops)
        {
            throw AdtLexer.Error(token.Position, $"a hop count is a whole number from 1 to {MaxHops}, not '{token.Text}'");
        }

        _next++;
        return n;
    }

    private bool Adjacent(int a, int b) => _tokens[a].Position + _tokens[a].Length == _tokens[b].Position;

    private AdtToken? OptionalAlias()
    {
        if (Current.IsKeyword("AS"))
        {
            _next++;
            return ExpectName("a collection name after AS");
        }

        if (Current.Kind == AdtTokenKind.Identifier && !Reserved.Contains(Current.Text))
        {
            var alias = Current;
            if (alias.Text.StartsWith('$'))
            {
                throw Unexpected("a collection name (not starting with '$')");
            }

            _next++;
            return alias;
        }

        return null;
    }

    private AdtToken DeclareName(bool twins, string what)
    {
        var name = ExpectName(what);
        return Declare(name, twins);
    }

    private AdtToken Declare(AdtToken name, bool twins)
    {
        if (name.Text.StartsWith('$'))
        {
            throw AdtLexer.Error(name.Position, $"a collection name cannot start with '$': '{name.Text}'");
        }

        if (!_collections.TryAdd(name.Text, twins))
        {
            throw AdtLexer.Error(name.Position, $"the name '{name.Text}' is used twice in FROM");
        }

        return name;
    }

    // ---- WHERE ----

    private AdtExpression ParseOr()
    {
        var first = ParseAnd();
        if (!Current.IsKeyword("OR"))
        {
            return first;
        }

        var operands = ImmutableArray.CreateBuilder<AdtExpression>();
        operands.Add(first);
        while (Current.IsKeyword("OR"))
        {
            _next++;
            operands.Add(ParseAnd());
        }

        return new AdtLogical(false, operands.ToImmutable(), first.Position);
    }

    private AdtExpression ParseAnd()
    {
        var first = ParseNot();
        if (!Current.IsKeyword("AND"))
        {
            return first;
        }

        var operands = ImmutableArray.CreateBuilder<AdtExpression>();
        operands.Add(first);
        while (Current.IsKeyword("AND"))
        {
            _next++;
            operands.Add(ParseNot());
        }

        return new AdtLogical(true, operands.ToImmutable(), first.Position);
    }

    private AdtExpression ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            var not = Current;
            _next++;
            return new AdtNot(ParseNot(), not.Position);
        }

        return ParseComparison();
    }

    private AdtExpression ParseComparison()
    {
        var left = ParseOperand();
        var op = Current;
        AdtComparisonOperator? comparison = op.Kind != AdtTokenKind.Symbol ? null : op.Text switch
        {
            "=" => AdtComparisonOperator.Eq,
            "!=" or "<>" => AdtComparisonOperator.Ne,
            "<" => AdtComparisonOperator.Lt,
            "<=" => AdtComparisonOperator.Le,
            ">" => AdtComparisonOperator.Gt,
            ">=" => AdtComparisonOperator.Ge,
            _ => null,
        };
        if (comparison is { } c)
        {
            _next++;
            var right = ParseOperand();
            return new AdtComparison(c, left, right, op.Position);
        }

        var negated = false;
        if (op.IsKeyword("NOT") && _tokens[_next + 1].IsKeyword("IN"))
        {
            negated = true;
            _next++;
        }
        else if (op.IsKeyword("NIN"))
        {
            negated = true;
        }
        else if (!op.IsKeyword("IN"))
        {
            return left;
        }

        _next++;
        return new AdtIn(left, ParseList(), negated, op.Position);
    }

    private ImmutableArray<AdtValue> ParseList()
    {
        ExpectSymbol("[", "to open the IN list, e.g. IN ['a', 'b']");
        var values = ImmutableArray.CreateBuilder<AdtValue>();
        while (true)
        {
            values.Add(ParseLiteral("a string, number, true, false or null in the IN list"));
            if (Current.IsSymbol("]"))
            {
                _next++;
                return values.ToImmutable();
            }

            ExpectSymbol(",", "between values of the IN list (or ']' to close it)");
        }
    }

    private AdtValue ParseLiteral(string expected)
    {
        var token = Current;
        var negative = false;
        if (token.IsSymbol("-") && _tokens[_next + 1].Kind == AdtTokenKind.Number)
        {
            negative = true;
            _next++;
            token = Current;
        }

        AdtValue value;
        if (token.Kind == AdtTokenKind.Number)
        {
            var number = double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            value = AdtValue.Of(negative ? -number : number);
        }
        else if (token.Kind == AdtTokenKind.String)
        {
            value = AdtValue.Of(token.Text);
        }
        else if (token.IsKeyword("TRUE") || token.IsKeyword("FALSE"))
        {
            value = AdtValue.Of(token.IsKeyword("TRUE"));
        }
        else if (token.IsKeyword("NULL"))
        {
            value = AdtValue.Null;
        }
        else
        {
            throw Unexpected(expected);
        }

        _next++;
        return value;
    }

    private AdtExpression ParseOperand()
    {
        var token = Current;
        if (token.IsSymbol("("))
        {
            _next++;
            var inner = ParseOr();
            ExpectSymbol(")", "to close '('");
            return inner;
        }

        if (token.Kind is AdtTokenKind.Number or AdtTokenKind.String || token.IsSymbol("-")
            || token.IsKeyword("TRUE") || token.IsKeyword("FALSE") || token.IsKeyword("NULL"))
        {
            return new AdtLiteral(ParseLiteral("a value"), token.Position);
        }

        if (token.Kind != AdtTokenKind.Identifier || (Reserved.Contains(token.Text) && !token.IsKeyword("COUNT")))
        {
            throw Unexpected("a property, a value or a function such as IS_OF_MODEL( )");
        }

        _next++;
        if (Current.IsSymbol("("))
        {
            return ParseFunction(token);
        }

        var path = Resolve(token, ParseMembers());
        if (_collections[path.Collection] && path.Members.Any(m => m is "$etag" or "$lastUpdateTime"))
        {
            // The index that answers WHERE holds a twin's model and properties, not its ETag or times.
            throw AdtLexer.Error(path.Position, $"{path} cannot be used in WHERE; a twin's $etag and update times can only be returned");
        }

        return path;
    }

    private AdtExpression ParseFunction(AdtToken name)
    {
        _next++; // (
        var upper = name.Text.ToUpperInvariant();
        if (upper == "IS_OF_MODEL")
        {
            return ParseIsOfModel(name);
        }

        var arity = ValueFunctions.Contains(upper) ? 1 : StringFunctions.Contains(upper) ? 2 : 0;
        if (arity == 0)
        {
            throw AdtLexer.Error(name.Position, $"'{name.Text}' is not a function of the query language");
        }

        var arguments = ImmutableArray.CreateBuilder<AdtExpression>();
        for (var i = 0; i < arity; i++)
        {
            if (i > 0)
            {
                ExpectSymbol(",", $"between the arguments of {upper}");
            }

            arguments.Add(ParseOperand());
        }

        ExpectSymbol(")", $"after the {(arity == 1 ? "argument" : "arguments")} of {upper}");
        return new AdtFunction(upper, arguments.ToImmutable(), name.Position);
    }

    private AdtIsOfModel ParseIsOfModel(AdtToken name)
    {
        string collection;
        if (Current.Kind == AdtTokenKind.Identifier)
        {
            var alias = Current;
            if (!_collections.TryGetValue(alias.Text, out var isTwin) || !isTwin)
            {
                throw AdtLexer.Error(alias.Position, $"'{alias.Text}' is not a twin collection of this query");
            }

            _next++;
            collection = alias.Text;
            ExpectSymbol(",", "after the collection in IS_OF_MODEL");
        }
        else
        {
            var twins = _collections.Where(c => c.Value).Select(c => c.Key).ToList();
            if (twins.Count != 1)
            {
                throw AdtLexer.Error(Current.Position, "IS_OF_MODEL needs the twin collection first when the query has several, e.g. IS_OF_MODEL(T, 'dtmi:…;1')");
            }

            collection = twins[0];
        }

        var model = Current;
        if (model.Kind != AdtTokenKind.String)
        {
            throw Unexpected("a model id in quotes in IS_OF_MODEL");
        }

        _next++;
        var exact = false;
        if (Current.IsSymbol(","))
        {
            _next++;
            if (!Current.IsKeyword("exact"))
            {
                throw Unexpected("exact as the last argument of IS_OF_MODEL");
            }

            _next++;
            exact = true;
        }

        ExpectSymbol(")", "to close IS_OF_MODEL");
        return new AdtIsOfModel(collection, model.Text, exact, name.Position);
    }

    /// <summary>A path's first name is a collection of the query, or a property of the only collection.</summary>
    private AdtPath Resolve(AdtToken first, List<AdtToken> members)
    {
        if (_collections.ContainsKey(first.Text))
        {
            return new AdtPath(first.Text, [.. members.Select(m => m.Text)], first.Position);
        }

        if (_collections.Count == 1)
        {
            return new AdtPath(_collections.Keys.Single(), [first.Text, .. members.Select(m => m.Text)], first.Position);
        }

        var known = string.Join(", ", _collections.Keys.Where(k => !k.StartsWith('#')));
        throw AdtLexer.Error(first.Position, $"'{first.Text}' is not a collection of this query (it has {known})");
    }

    // ---- tokens ----

    private void Expect(string keyword, string where)
    {
        if (!Current.IsKeyword(keyword))
        {
            throw Unexpected($"{keyword} {where}");
        }

        _next++;
    }

    private void ExpectSymbol(string symbol, string where)
    {
        if (!Current.IsSymbol(symbol))
        {
            throw Unexpected($"'{symbol}' {where}");
        }

        _next++;
    }

    private AdtToken ExpectName(string what)
    {
        var token = Current;
        if (token.Kind != AdtTokenKind.Identifier || Reserved.Contains(token.Text))
        {
            throw Unexpected(what);
        }

        _next++;
        return token;
    }

    private TwinOperationException Unexpected(string expected) =>
        AdtLexer.Error(Current.Position, $"expected {expected}, found {Current.Describe()}");
}
