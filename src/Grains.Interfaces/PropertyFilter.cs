namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// A condition on a property: <paramref name="Path"/> is a property name, dotted for nested objects
/// (<c>geometry.balls</c>); <paramref name="ValueJson"/> is a JSON value (<c>42</c>, <c>"on"</c>, <c>true</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.PropertyFilter")]
public sealed record PropertyFilter(
    [property: Id(0)] string Path,
    [property: Id(1)] FilterOperator Operator,
    [property: Id(2)] string ValueJson);
