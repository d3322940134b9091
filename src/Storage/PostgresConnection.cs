using Npgsql;

namespace TwinCluster.Storage;

/// <summary>Checks a PostgreSQL connection string before anything tries to use it.</summary>
public static class PostgresConnection
{
    /// <summary>
    /// Parses <paramref name="connectionString"/> and throws an <see cref="ArgumentException"/> that names the setting
    /// at fault (unparsable text, unknown keyword, missing Host or Database). The message never contains the password.
    /// </summary>
    /// <param name="connectionString">The connection string to check.</param>
    /// <param name="settingName">Where the value came from, for the message.</param>
    /// <returns>The parsed settings.</returns>
    public static NpgsqlConnectionStringBuilder Validate(
        string? connectionString, string settingName = PostgresDefaults.ConnectionStringKey)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"The PostgreSQL connection string '{settingName}' is missing or empty.", nameof(connectionString));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException(
                $"The PostgreSQL connection string '{settingName}' cannot be parsed: {ex.Message}",
                nameof(connectionString), ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException(
                $"The PostgreSQL connection string '{settingName}' has no Host (e.g. \"Host=db;Database=twincluster;Username=twin\").",
                nameof(connectionString));
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ArgumentException(
                $"The PostgreSQL connection string '{settingName}' has no Database.", nameof(connectionString));
        }

        return builder;
    }
}
