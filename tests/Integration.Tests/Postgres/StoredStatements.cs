using System.Data;
using Npgsql;
using Xunit;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>
/// Runs the statements in OrleansQuery the way the Orleans ADO.NET providers do: by key, with named parameters whose
/// DbType follows the provider's CLR-type map (string → String, int → Int32, long → Int64, DateTime → DateTime,
/// byte[] → Binary), and reading result columns by name.
/// </summary>
internal sealed class StoredStatements
{
    private readonly string _connectionString;
    private readonly Dictionary<string, string> _texts;

    private StoredStatements(string connectionString, Dictionary<string, string> texts)
    {
        _connectionString = connectionString;
        _texts = texts;
    }

    public IReadOnlyDictionary<string, string> Texts => _texts;

    public static async Task<StoredStatements> LoadAsync(string connectionString, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            texts[reader.GetString(0)] = reader.GetString(1);
        }

        return new StoredStatements(connectionString, texts);
    }

    /// <summary>Runs a statement and returns its rows, each as column name (case-insensitive) → value (null for NULL).</summary>
    public async Task<List<Dictionary<string, object?>>> RunAsync(
        string key, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _texts[key];
        foreach (var property in parameters.GetType().GetProperties())
        {
            var value = property.GetValue(parameters);
            var parameter = command.CreateParameter();
            parameter.ParameterName = property.Name;
            parameter.Value = value ?? DBNull.Value;
            parameter.DbType = DbTypeOf(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The single value of a statement that answers one row with one column (the providers' success flag or version).</summary>
    public async Task<object?> ScalarAsync(string key, object parameters, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(key, parameters, cancellationToken);
        var row = Assert.Single(rows);
        return Assert.Single(row).Value;
    }

    private static DbType DbTypeOf(Type type) =>
        type == typeof(string) ? DbType.String
        : type == typeof(int) ? DbType.Int32
        : type == typeof(long) ? DbType.Int64
        : type == typeof(DateTime) ? DbType.DateTime
        : type == typeof(byte[]) ? DbType.Binary
        : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a type the providers bind.");
}
