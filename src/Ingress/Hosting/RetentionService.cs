using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TwinCluster.Ingress.Storage;

namespace TwinCluster.Ingress.Hosting;

/// <summary>
/// Retention in PostgreSQL mode: once an hour (and at start), drops the telemetry log's daily partitions older than
/// <c>TwinCluster:Telemetry:Retention</c> (default 30 days) and deletes dead letters older than
/// <c>TwinCluster:Telemetry:DeadLetterRetention</c> (default 30 days). Several processes may run it: both operations
/// are safe to repeat.
/// </summary>
public sealed class RetentionService(
    ITelemetryLog log, IDeadLetterStore deadLetters, RetentionSettings settings, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                if (log is PostgresTelemetryLog postgres)
                {
                    var dropped = await postgres.ApplyRetentionAsync(settings.Log, time, stoppingToken);
                    if (dropped.Count > 0)
                    {
                        logger.LogInformation("Retention: dropped telemetry partitions {Partitions}", string.Join(", ", dropped));
                    }
                }

                if (deadLetters is PostgresDeadLetterStore store)
                {
                    var deleted = await store.DeleteOlderThanAsync(time.GetUtcNow() - settings.DeadLetters, stoppingToken);
                    if (deleted > 0)
                    {
                        logger.LogInformation("Retention: deleted {Count} dead letters older than {Retention}", deleted, settings.DeadLetters);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Retention failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>How long telemetry and dead letters are kept (PostgreSQL mode).</summary>
public sealed record RetentionSettings(TimeSpan Log, TimeSpan DeadLetters);
