using TwinCluster.Storage;
using Xunit;

namespace TwinCluster.Integration.Tests.Postgres;

public sealed class ConnectionStringValidationTests
{
    [Fact]
    public void A_complete_connection_string_is_accepted()
    {
        var settings = PostgresConnection.Validate("Host=db;Port=5433;Database=twincluster;Username=twin;Password=secret");

        Assert.Equal("db", settings.Host);
        Assert.Equal(5433, settings.Port);
    }

    [Theory]
    [InlineData("Database=twincluster;Username=twin", "Host")]
    [InlineData("Host=db;Username=twin", "Database")]
    [InlineData("this is not a connection string", "cannot be parsed")]
    [InlineData("Host=db;Database=x;Colour=blue", "cannot be parsed")]
    [InlineData("Host=db;Database=x;Port=seventy", "cannot be parsed")]
    [InlineData("", "missing or empty")]
    public void A_bad_connection_string_fails_naming_the_setting(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnection.Validate(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresDefaults.ConnectionStringKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_never_appears_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnection.Validate("Password=hunter2;Database=x"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
