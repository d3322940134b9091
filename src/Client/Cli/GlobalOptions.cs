using System.CommandLine;

namespace TwinCluster.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string[]> Gateway = new("--gateway", "-g")
    {
        Description = "Gateway host:port (repeatable). Default 127.0.0.1:30000, or TWIN_GATEWAYS (comma-separated).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "PostgreSQL connection string: find gateways in the cluster's membership table (env ConnectionStrings__TwinCluster).",
        Recursive = true,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "Cluster id of the silos.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TwinCluster__ClusterId") ?? "twincluster",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for machines instead of tables.",
        Recursive = true,
    };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to keep trying to reach the cluster.",
        Recursive = true,
        DefaultValueFactory = _ => 15,
    };

    public static IEnumerable<Option> All => [Gateway, Connection, ClusterId, Json, Timeout];
}
