using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Storage.History;

/// <summary>Where history is kept: written in batches by the history writer, read by the history queries.</summary>
public interface IHistoryStore
{
    /// <summary>One line for the start-up log: where history goes and how long it stays.</summary>
    string Description { get; }

    /// <summary>Stores a batch; a row already stored (same twin, source, names and time) is not stored again.</summary>
    /// <returns>Rows newly stored.</returns>
    Task<int> WriteAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Stores accepted twin changes.</summary>
    Task WriteChangesAsync(IReadOnlyList<HistoryChange> changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bucketed series of <paramref name="names"/> for <paramref name="twinIds"/> in [from, to) with a step already
    /// checked by <see cref="HistorySteps.Resolve"/>. An unknown name is refused naming it.
    /// </summary>
    Task<HistoryTrend> TrendAsync(
        IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTime fromUtc, DateTime toUtc, TimeSpan step,
        CancellationToken cancellationToken = default);

    /// <summary>The twin's latest change at or before <paramref name="at"/>, or null.</summary>
    Task<HistoryChange?> LatestChangeAsync(string twinId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The twin's changes in [from, to), oldest first.</summary>
    Task<ImmutableArray<HistoryChange>> ChangesAsync(string twinId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Every name that has been stored, with the known feature names.</summary>
    Task<ImmutableArray<string>> NamesAsync(CancellationToken cancellationToken = default);
}
