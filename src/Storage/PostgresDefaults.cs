namespace TwinCluster.Storage;

/// <summary>Names shared by everything that talks to TwinCluster's PostgreSQL database.</summary>
public static class PostgresDefaults
{
    /// <summary>The ADO.NET invariant the Orleans ADO.NET providers need for PostgreSQL.</summary>
    public const string AdoInvariant = "Npgsql";

    /// <summary>Same as <see cref="AdoInvariant"/>, for call sites that read better with this name.</summary>
    public const string Invariant = AdoInvariant;

    /// <summary>The connection string's name, as in <c>GetConnectionString(ConnectionStringName)</c>.</summary>
    public const string ConnectionStringName = "TwinCluster";

    /// <summary>The configuration key (environment variable <c>ConnectionStrings__TwinCluster</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
}
