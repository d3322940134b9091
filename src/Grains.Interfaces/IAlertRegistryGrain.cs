using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The cluster's list of alerts (key <see cref="ChangeStreams.Key"/>): each component reports its alert here when it
/// is raised, changes or clears, so alerts can be listed without walking the twin graph. The component holds the truth.
/// </summary>
[Alias("tc.IAlertRegistryGrain")]
public interface IAlertRegistryGrain : IGrainWithStringKey
{
    /// <summary>Records an alert's latest state (an older <see cref="TwinAlert.Revision"/> of the same alert is ignored).</summary>
    [Alias("Put")]
    Task Put(TwinAlert alert);

    /// <summary>Forgets a twin's alerts (the twin was deleted).</summary>
    [Alias("Forget")]
    Task Forget(string twinId);

    /// <summary>Open alerts, alarms first, then by time raised; with <paramref name="includeClosed"/> also the recently cleared.</summary>
    [Alias("List"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<TwinAlert>> List(bool includeClosed);
}
