using TwinCluster.Storage.History;

namespace TwinCluster.Silo.Hosting;

/// <summary>
/// Runs the history maintenance (rollups of closed days, export or drop past the hot retention, warm retention) every
/// <see cref="HistoryOptions.MaintenanceInterval"/>; with several silos one runs it at a time, the others skip.
/// </summary>
public sealed class HistoryMaintenanceService(
    PostgresHistoryMaintenance maintenance, HistoryOptions options, TimeProvider time, ILogger<HistoryMaintenanceService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Maintenance)
        {
            logger.LogInformation("History maintenance is off in this silo (TwinCluster:History:Maintenance=false)");
            return;
        }

        using var timer = new PeriodicTimer(options.MaintenanceInterval, time);
        do
        {
            try
            {
                await maintenance.RunAsync(time.GetUtcNow().UtcDateTime, line => logger.LogInformation("{History}", line), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "History maintenance failed; it runs again in {Interval}", options.MaintenanceInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
