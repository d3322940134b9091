using System.CommandLine;

namespace TwinCluster.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = "The silo's HTTP API. Default TWIN_URL, else the embedded default https://127.0.0.1:8443.",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "API token (tct_…) or JWT. Default TWIN_TOKEN, else the file the embedded default writes: ~/.twincluster/token " +
            "(or $TWINCLUSTER_SECURITY_DIR/token, or $TwinCluster__Security__Directory/token).",
        Recursive = true,
    };

    public static readonly Option<string?> CaCert = new("--cacert")
    {
        Description = "PEM file of the one CA to trust for the API's certificate. Default TWIN_CACERT, else ~/.twincluster/https/ca.pem " +
            "(the embedded default's development CA) when it exists, else the system trust store.",
        Recursive = true,
    };

    public static readonly Option<string[]> Gateway = new("--gateway", "-g")
    {
        Description = "Orleans gateway host:port (repeatable), only for what cannot go over HTTP: bench, simulate, and 'auth token' to make the first " +
            "admin token in PostgreSQL mode (whoever reaches the gateway acts as admin). Default 127.0.0.1:30000, or TWIN_GATEWAYS (comma-separated).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "PostgreSQL connection string: db commands, and finding gateways in the cluster's membership table (env ConnectionStrings__TwinCluster).",
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
        Description = "Seconds to keep trying to reach the cluster (the HTTP API's connect timeout, the gateway's retries).",
        Recursive = true,
        DefaultValueFactory = _ => 15,
    };

    public static IEnumerable<Option> All => [Url, Token, CaCert, Gateway, Connection, ClusterId, Json, Timeout];
}
