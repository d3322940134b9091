using TwinCluster.Storage;

namespace TwinCluster.Silo.Hosting;

/// <summary>Applies the PostgreSQL migration before the silo joins the cluster; a failure stops start-up.</summary>
public sealed class MigrationService(string connectionString, ILogger<MigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await PostgresMigrator.MigrateAsync(connectionString, line => logger.LogInformation("{Migration}", line), cancellationToken);
        logger.LogInformation("Schema up to date: {Applied} applied now, {Existing} already present", report.Applied.Count, report.AlreadyApplied.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
