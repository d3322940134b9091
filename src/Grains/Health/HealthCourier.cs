using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Health;

/// <summary>
/// Sends one <see cref="HealthDelivery"/> through the twin's <see cref="IHealthOutlets"/> and tells the
/// <see cref="HealthLedger"/> what arrived, without Orleans. A container that refuses the report (not, or no longer,
/// its child) counts as done: a new container pulls the health, and the twin pushes it when it is added. Alert
/// states go to the registry in order and stop at the first failure. Change events are best-effort (the twins hold
/// the truth): a failure is logged and dropped. What failed otherwise stays pending in the ledger, to be retried.
/// </summary>
public sealed class HealthCourier(string twinId, HealthLedger ledger, IHealthOutlets outlets, ILogger logger)
{
    /// <summary>Sends <paramref name="delivery"/>; true when something failed and must be tried again.</summary>
    public async Task<bool> DeliverAsync(HealthDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var retry = false;
        if (delivery.ToContainer is { } reported)
        {
            retry |= !await ReportAsync(reported);
        }

        foreach (var alert in delivery.ToRegistry)
        {
            try
            {
                await outlets.PutAlertAsync(alert);
                ledger.RegistryDone(alert);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Twin {TwinId}: alert registry update failed; retrying", twinId);
                retry = true;
                break;
            }
        }

        await PublishAsync(delivery.Changes);
        return retry;
    }

    private async Task<bool> ReportAsync(TwinHealth reported)
    {
        if (outlets.ContainerId is not { } parent)
        {
            ledger.NoContainer();
            return true;
        }

        try
        {
            await outlets.ReportToContainerAsync(parent, reported);
            ledger.ParentDone(reported);
            return true;
        }
        catch (TwinOperationException ex) when (ex.Code is TwinErrorCode.Conflict or TwinErrorCode.NotFound)
        {
            logger.LogDebug("Twin {TwinId}: container {Parent} refused the health report: {Reason}", twinId, parent, ex.Message);
            ledger.ParentDone(reported);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: health report to {Parent} failed; retrying", twinId, parent);
            return false;
        }
    }

    private async Task PublishAsync(IReadOnlyList<TwinChange> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await outlets.PublishAsync(events);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Twin {TwinId}: {Count} change events could not be published", twinId, events.Count);
        }
    }
}
