namespace TwinCluster.Grains.Queries.Adt;

/// <summary>
/// Evaluates a WHERE condition on a row, with ADT's three-valued logic: a comparison involving a missing property,
/// or values of different kinds, is undefined, and a row is returned only when the condition is true.
/// <paramref name="modelSets"/> gives, for each model id an IS_OF_MODEL names, that model and its subtypes.
/// Only values and functions are evaluated here; no I/O.
/// </summary>
public sealed class AdtEvaluator(IReadOnlyDictionary<string, IReadOnlySet<string>> modelSets)
{
    /// <summary>A model and its subtypes (just the model when the repository was not asked about it).</summary>
    public IReadOnlySet<string> ModelSet(string modelId) =>
        modelSets.TryGetValue(modelId, out var set) ? set : new HashSet<string>(StringComparer.Ordinal) { modelId };

    public bool Matches(AdtExpression? condition, AdtRow row) => condition is null || Evaluate(condition, row) == true;

    /// <summary>True, false, or null for undefined.</summary>
    public bool? Evaluate(AdtExpression expression, AdtRow row)
    {
        switch (expression)
        {
            case AdtLogical { IsAnd: true } and:
                bool? all = true;
                foreach (var operand in and.Operands)
                {
                    var value = Evaluate(operand, row);
                    if (value == false)
                    {
                        return false;
                    }

                    all = value is null ? null : all;
                }

                return all;
            case AdtLogical or:
                bool? any = false;
                foreach (var operand in or.Operands)
                {
                    var value = Evaluate(operand, row);
                    if (value == true)
                    {
                        return true;
                    }

                    any = value is null ? null : any;
                }

                return any;
            case AdtNot not:
                return !Evaluate(not.Operand, row);
            case AdtComparison comparison:
                return Compare(comparison.Operator, Value(comparison.Left, row), Value(comparison.Right, row));
            case AdtIn @in:
                var candidate = Value(@in.Value, row);
                if (!candidate.IsPrimitive)
                {
                    return null;
                }

                var found = @in.List.Any(v => candidate.EqualTo(v) == true);
                return @in.Negated ? !found : found;
            case AdtIsOfModel isOfModel:
                if (row[isOfModel.Collection] is not AdtTwin twin)
                {
                    return null;
                }

                return isOfModel.Exact ? twin.ModelId == isOfModel.ModelId : ModelSet(isOfModel.ModelId).Contains(twin.ModelId);
            case AdtFunction function:
                return Function(function, row);
            default:
                var plain = Value(expression, row);
                return plain.Kind == AdtValueKind.Bool ? plain.Bool : null;
        }
    }

    public static AdtValue Value(AdtExpression expression, AdtRow row) => expression switch
    {
        AdtLiteral literal => literal.Value,
        AdtPath path => row[path.Collection]?.Get(path.Members) ?? AdtValue.Undefined,
        _ => AdtValue.Undefined,
    };

    public static bool? Compare(AdtComparisonOperator op, AdtValue left, AdtValue right)
    {
        if (op is AdtComparisonOperator.Eq or AdtComparisonOperator.Ne)
        {
            var equal = left.EqualTo(right);
            return op == AdtComparisonOperator.Eq ? equal : !equal;
        }

        var order = left.OrderAgainst(right);
        if (order is not { } o)
        {
            return null;
        }

        return op switch
        {
            AdtComparisonOperator.Lt => o < 0,
            AdtComparisonOperator.Le => o <= 0,
            AdtComparisonOperator.Gt => o > 0,
            _ => o >= 0,
        };
    }

    private bool? Function(AdtFunction function, AdtRow row)
    {
        var first = function.Arguments[0] is AdtExpression e && IsCondition(e)
            ? FromCondition(Evaluate(e, row))
            : Value(function.Arguments[0], row);
        switch (function.Name)
        {
            case "IS_DEFINED":
                return first.Kind != AdtValueKind.Undefined;
            case "IS_NULL":
                return first.Kind == AdtValueKind.Null;
            case "IS_BOOL":
                return first.Kind == AdtValueKind.Bool;
            case "IS_NUMBER":
                return first.Kind == AdtValueKind.Number;
            case "IS_STRING":
                return first.Kind == AdtValueKind.String;
            case "IS_PRIMITIVE":
                return first.IsPrimitive;
            case "IS_OBJECT":
                return first.Kind == AdtValueKind.Object;
        }

        var second = Value(function.Arguments[1], row);
        if (first.Kind != AdtValueKind.String || second.Kind != AdtValueKind.String)
        {
            return null;
        }

        return function.Name switch
        {
            "STARTSWITH" => first.Text!.StartsWith(second.Text!, StringComparison.Ordinal),
            "ENDSWITH" => first.Text!.EndsWith(second.Text!, StringComparison.Ordinal),
            _ => first.Text!.Contains(second.Text!, StringComparison.Ordinal),
        };
    }

    private static bool IsCondition(AdtExpression expression) => expression is not AdtLiteral and not AdtPath;

    private static AdtValue FromCondition(bool? value) => value is { } b ? AdtValue.Of(b) : AdtValue.Undefined;
}
