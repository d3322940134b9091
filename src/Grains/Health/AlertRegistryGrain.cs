using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The alert list. Components put every change of their alert here (retrying until it is taken); it keeps each twin's
/// open alert and the last <see cref="ClearedKept"/> cleared ones. A change older than the one held is ignored.
/// </summary>
public sealed class AlertRegistryGrain(
    [PersistentState("alerts", StorageNames.Twins)] IPersistentState<AlertRegistryState> state) : Grain, IAlertRegistryGrain
{
    /// <summary>Cleared alerts kept for listing.</summary>
    public const int ClearedKept = 500;

    private AlertRegistryState S => state.State;

    public async Task Put(TwinAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var held = S.Open.GetValueOrDefault(alert.TwinId);
        if (held is not null && (held.Number > alert.Number || (held.Number == alert.Number && held.ChangedAt > alert.ChangedAt)))
        {
            return;
        }

        if (alert.IsOpen)
        {
            if (S.Cleared.Any(c => c.TwinId == alert.TwinId && c.Number == alert.Number))
            {
                return;   // a late open state of an alert already cleared
            }

            S.Open[alert.TwinId] = alert;
        }
        else
        {
            if (held is not null && held.Number == alert.Number)
            {
                S.Open.Remove(alert.TwinId);
            }

            if (S.Cleared.Any(c => c.TwinId == alert.TwinId && c.Number == alert.Number))
            {
                return;
            }

            S.Cleared.Insert(0, alert);
            if (S.Cleared.Count > ClearedKept)
            {
                S.Cleared.RemoveRange(ClearedKept, S.Cleared.Count - ClearedKept);
            }
        }

        await state.WriteStateAsync();
    }

    public async Task Forget(string twinId)
    {
        var removed = S.Open.Remove(twinId) | S.Cleared.RemoveAll(c => c.TwinId == twinId) > 0;
        if (removed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<TwinAlert>> List(bool includeClosed)
    {
        var open = S.Open.Values
            .OrderByDescending(a => a.Level)
            .ThenBy(a => a.RaisedAt)
            .ThenBy(a => a.TwinId, StringComparer.Ordinal);
        ImmutableArray<TwinAlert> list = includeClosed ? [.. open, .. S.Cleared] : [.. open];
        return Task.FromResult(list);
    }
}
