using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>Reads the ingress's dead-letter store (any key; a stateless worker in each silo).</summary>
[Alias("tc.IDeadLetterGrain")]
public interface IDeadLetterGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Dead letters newest first, optionally only one twin's or one reason's (a code such as <c>unknown-twin</c>),
    /// a page at a time; pass the previous page's continuation for the next.
    /// </summary>
    [Alias("List")]
    Task<DeadLetterListing> List(string? twinId, string? reason, int pageSize, string? continuation);

    /// <summary>How many dead letters are stored per reason code.</summary>
    [Alias("CountByReason")]
    Task<ImmutableDictionary<string, long>> CountByReason();
}

/// <summary>A page of dead letters and the token for the next page (null on the last).</summary>
[GenerateSerializer, Immutable, Alias("tc.DeadLetterListing")]
public sealed record DeadLetterListing(
    [property: Id(0)] ImmutableArray<DeadLetterEntry> Items,
    [property: Id(1)] string? Continuation);

/// <summary>
/// One rejected message: when it arrived, its topic and twin, the reason code and detail, its size, and its first
/// bytes (at most 1 KiB).
/// </summary>
[GenerateSerializer, Immutable, Alias("tc.DeadLetterEntry")]
public sealed record DeadLetterEntry(
    [property: Id(0)] DateTimeOffset ReceivedAt,
    [property: Id(1)] string Topic,
    [property: Id(2)] string? TwinId,
    [property: Id(3)] string Reason,
    [property: Id(4)] string Message,
    [property: Id(5)] int Size,
    [property: Id(6)] byte[] PayloadPrefix);
