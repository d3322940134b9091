using Microsoft.Extensions.Options;
using Npgsql;
using TwinCluster.Storage.History;

namespace TwinCluster.Silo.Hosting;

/// <summary>History in PostgreSQL mode: the store the history writer writes to, and the maintenance loop.</summary>
public static class HistoryHosting
{
    /// <summary>Registers <see cref="PostgresHistoryStore"/> (before the grains, so it replaces the in-memory default) and <see cref="HistoryMaintenanceService"/>.</summary>
    public static IServiceCollection AddPostgresHistory(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 8 };
            return new HistoryDataSource(NpgsqlDataSource.Create(builder.ConnectionString));
        });
        services.AddSingleton<IHistoryStore>(sp => new PostgresHistoryStore(
            sp.GetRequiredService<HistoryDataSource>().DataSource, sp.GetRequiredService<IOptions<HistoryOptions>>().Value));
        services.AddHostedService(sp => new HistoryMaintenanceService(
            new PostgresHistoryMaintenance(sp.GetRequiredService<HistoryDataSource>().DataSource, sp.GetRequiredService<IOptions<HistoryOptions>>().Value),
            sp.GetRequiredService<IOptions<HistoryOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HistoryMaintenanceService>>()));
        return services;
    }
}
