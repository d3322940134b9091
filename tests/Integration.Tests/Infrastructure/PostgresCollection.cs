using Xunit;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>
/// Tests marked <c>[Collection(PostgresCollection.Name)]</c> share one PostgreSQL server for the whole run
/// (constructor-inject <see cref="PostgresFixture"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
