using TwinCluster.Integration.Tests.Infrastructure;
using Xunit;

namespace TwinCluster.Integration.Tests.Cli;

/// <summary><c>twin db migrate</c> as an operator runs it, against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DbMigrateCliTests(PostgresFixture postgres)
{
    private static Task<(int Exit, string Out, string Err)> Twin(params string[] args) => CliProcess.RunAsync(args);

    [Fact]
    public async Task Migrate_applies_the_schema_once_and_a_second_run_changes_nothing()
    {
        var db = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken);

        var first = await Twin("db", "migrate", "--connection", db);
        var second = await Twin("db", "migrate", "--connection", db);

        Assert.True(first.Exit == 0, first.Err);
        Assert.DoesNotContain(" 0 script(s) applied", first.Out, StringComparison.Ordinal);
        Assert.True(second.Exit == 0, second.Err);
        Assert.Contains("0 script(s) applied", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_without_a_database_is_bad_usage_and_an_unreachable_one_is_a_failure()
    {
        var none = await Twin("db", "migrate");
        var unreachable = await Twin("db", "migrate", "--connection", $"Host=127.0.0.1;Port={FreeTcpPort.Next()};Database=x;Username=x;Timeout=2");

        Assert.Equal(2, none.Exit);
        Assert.Contains("--connection", none.Err, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.Exit);
        Assert.StartsWith("error:", unreachable.Err, StringComparison.Ordinal);
    }
}
