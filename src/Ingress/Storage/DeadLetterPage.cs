namespace TwinCluster.Ingress.Storage;

/// <summary>One page of dead letters, newest first, and the token for the next page (null when this is the last).</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, string? Continuation);
