namespace TwinCluster.Silo.Hosting;

/// <summary>How the silo is hosted; implied by the settings, never set directly.</summary>
public enum SiloMode
{
    /// <summary>No connection string: one silo, everything in memory, not durable.</summary>
    Embedded,

    /// <summary>A PostgreSQL connection string: clustering, state, reminders and index in PostgreSQL.</summary>
    Postgres,

    /// <summary>PostgreSQL mode inside Kubernetes (KUBERNETES_SERVICE_HOST is set).</summary>
    Kubernetes,
}
