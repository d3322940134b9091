using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

/// <summary>Where rejected messages go, with their reason code; operators list them (<c>twin deadletters list</c>).</summary>
public interface IDeadLetterStore
{
    /// <summary>Stores a batch of dead letters, all or nothing.</summary>
    Task AddAsync(IReadOnlyList<DeadLetter> batch, CancellationToken cancellationToken = default);

    /// <summary>The dead letters that match <paramref name="query"/>, newest first, one page at a time.</summary>
    Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many dead letters are stored per reason (reasons with none are absent).</summary>
    Task<IReadOnlyDictionary<DeadLetterReason, long>> CountByReasonAsync(CancellationToken cancellationToken = default);
}
