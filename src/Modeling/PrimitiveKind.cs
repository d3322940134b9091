namespace TwinCluster.Modeling;

/// <summary>The primitive schema types (v2 set, the v3/v4 additions, and the geospatial schemas).</summary>
public enum PrimitiveKind
{
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>RFC 3339 full-date.</summary>
    Date,
    /// <summary>RFC 3339 date-time.</summary>
    DateTime,
    /// <summary>IEEE 754 double.</summary>
    Double,
    /// <summary>ISO 8601 duration.</summary>
    Duration,
    /// <summary>IEEE 754 single.</summary>
    Float,
    /// <summary>32-bit signed integer.</summary>
    Integer,
    /// <summary>64-bit signed integer.</summary>
    Long,
    /// <summary>UTF-8 string.</summary>
    String,
    /// <summary>RFC 3339 partial-time.</summary>
    Time,
    /// <summary>8-bit signed integer.</summary>
    Byte,
    /// <summary>Base64-encoded bytes.</summary>
    Bytes,
    /// <summary>Decimal number.</summary>
    Decimal,
    /// <summary>16-bit signed integer.</summary>
    Short,
    /// <summary>8-bit unsigned integer.</summary>
    UnsignedByte,
    /// <summary>16-bit unsigned integer.</summary>
    UnsignedShort,
    /// <summary>32-bit unsigned integer.</summary>
    UnsignedInteger,
    /// <summary>64-bit unsigned integer.</summary>
    UnsignedLong,
    /// <summary>UUID string.</summary>
    Uuid,
    /// <summary>GeoJSON Point.</summary>
    Point,
    /// <summary>GeoJSON MultiPoint.</summary>
    MultiPoint,
    /// <summary>GeoJSON LineString.</summary>
    LineString,
    /// <summary>GeoJSON MultiLineString.</summary>
    MultiLineString,
    /// <summary>GeoJSON Polygon.</summary>
    Polygon,
    /// <summary>GeoJSON MultiPolygon.</summary>
    MultiPolygon,
}
