namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// One accepted change of a twin: its whole state before and after (JSON objects with <c>model</c>, <c>properties</c>,
/// <c>relationships</c>, <c>incoming</c>, <c>etag</c>; null before a create and after a delete).
/// </summary>
/// <param name="TwinId">The twin.</param>
/// <param name="At">When the change was stored.</param>
/// <param name="Operation">create, replace, patch, relate, unrelate, incoming or delete.</param>
/// <param name="Principal">Who made it; null until requests carry an authenticated principal.</param>
/// <param name="BeforeJson">State before the change.</param>
/// <param name="AfterJson">State after the change.</param>
[GenerateSerializer, Immutable, Alias("tc.HistoryChange")]
public sealed record HistoryChange(
    [property: Id(0)] string TwinId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Operation,
    [property: Id(3)] string? Principal,
    [property: Id(4)] string? BeforeJson,
    [property: Id(5)] string? AfterJson);
