namespace TwinCluster.Modeling;

/// <summary>A primitive schema such as double or dateTime; instances are shared.</summary>
public sealed class PrimitiveSchema : Schema
{
    private static readonly Dictionary<PrimitiveKind, PrimitiveSchema> s_all = Enum.GetValues<PrimitiveKind>()
        .ToDictionary(k => k, k => new PrimitiveSchema(k));

    private PrimitiveSchema(PrimitiveKind kind)
    {
        Kind = kind;
        Term = char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
        Id = kind is >= PrimitiveKind.Point
            ? $"dtmi:standard:schema:geospatial:{Term}"
            : $"dtmi:dtdl:instance:Schema:{Term}";
    }

    /// <summary>The primitive type.</summary>
    public PrimitiveKind Kind { get; }

    /// <summary>The DTDL term, e.g. "dateTime".</summary>
    public string Term { get; }

    /// <summary>True for numeric kinds (integers, floating point and decimal).</summary>
    public bool IsNumeric => Kind is PrimitiveKind.Double or PrimitiveKind.Float or PrimitiveKind.Integer or PrimitiveKind.Long
        or PrimitiveKind.Byte or PrimitiveKind.Short or PrimitiveKind.Decimal or PrimitiveKind.UnsignedByte
        or PrimitiveKind.UnsignedShort or PrimitiveKind.UnsignedInteger or PrimitiveKind.UnsignedLong;

    /// <summary>The shared string schema.</summary>
    public static PrimitiveSchema String => s_all[PrimitiveKind.String];

    /// <summary>The shared schema of a kind.</summary>
    public static PrimitiveSchema Of(PrimitiveKind kind) => s_all[kind];

    /// <inheritdoc/>
    public override string Describe() => Term;
}
