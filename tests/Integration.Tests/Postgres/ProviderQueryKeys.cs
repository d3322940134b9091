using System.Reflection;
using System.Text.RegularExpressions;
using Orleans.Configuration;
using Orleans.Storage;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>The query keys the restored Orleans ADO.NET provider assemblies require, read from the assemblies.</summary>
internal static partial class ProviderQueryKeys
{
    /// <summary>
    /// Clustering and reminders refuse to start unless every non-public property of their DbStoredQueries exists as a
    /// key; persistence loads its keys by name (DeleteStorageKey only when DeleteStateOnClear is set).
    /// </summary>
    public static IReadOnlySet<string> Required()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(AdoNetClusteringSiloOptions).Assembly, typeof(AdoNetReminderTableOptions).Assembly })
        {
            var storedQueries = assembly.GetTypes().Single(t => t.Name == "DbStoredQueries");
            keys.UnionWith(storedQueries.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name));
        }

        keys.UnionWith(PersistenceKey().Matches(AdoNetGrainStorage.DefaultInitializationQuery).Select(m => m.Groups[1].Value));
        return keys;
    }

    [GeneratedRegex(@"QueryKey = '(\w+)'")]
    private static partial Regex PersistenceKey();
}
