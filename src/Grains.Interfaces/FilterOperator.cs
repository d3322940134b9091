namespace TwinCluster.Grains.Interfaces;

/// <summary>Comparison in a property filter. Numbers compare numerically, strings ordinally.</summary>
public enum FilterOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal (a missing property is not equal).</summary>
    Ne,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Ge,
}
