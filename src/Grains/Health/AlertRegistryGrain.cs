using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// The alert list. Components put every change of their alert here (retrying until it is taken); it keeps each twin's
/// open alert and the last <see cref="ClearedKept"/> cleared ones. A revision of an alert older than the one held is
/// ignored, and so is an alert raised before the one held.
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
        if (held is not null && (Same(held, alert) ? held.Revision >= alert.Revision : held.RaisedAt > alert.RaisedAt))
        {
            // The same alert in an older (or the same) revision, or an older alert (a twin created again numbers from 1).
            return;
        }

        if (alert.IsOpen)
        {
            if (S.Cleared.Any(c => c.TwinId == alert.TwinId && Same(c, alert)))
            {
                return;   // a late open state of an alert already cleared
            }

            S.Open[alert.TwinId] = alert;
        }
        else
        {
            if (held is not null && Same(held, alert))
            {
                S.Open.Remove(alert.TwinId);
            }

            if (S.Cleared.Any(c => c.TwinId == alert.TwinId && Same(c, alert)))
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

    /// <summary>One alert in two states: the same number, raised at the same moment (a twin created again numbers from 1).</summary>
    private static bool Same(TwinAlert a, TwinAlert b) => a.Number == b.Number && a.RaisedAt == b.RaisedAt;
}
