using System.CommandLine;
using TwinCluster.Cli.Commands;

namespace TwinCluster.Cli;

/// <summary>
/// The <c>twin</c> command tree. Commands that talk to the cluster go through the HTTP API with a token (--url, --token,
/// --cacert); bench, simulate and db keep their direct doors. Exit codes: 0 success, 1 refused or failed, 2 bad usage,
/// 3 not signed in (401), 4 forbidden (403), 5 rate limited (429).
/// </summary>
public static class TwinCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "TwinCluster operator CLI: models, twins, relationships, database, analysis and benchmarks. It works through the silo's HTTP API " +
            "(--url or TWIN_URL, default https://127.0.0.1:8443) with a token (--token, TWIN_TOKEN, or the embedded default's ~/.twincluster/token). " +
            "bench and simulate use the Orleans gateway (--gateway), db goes to PostgreSQL, analyze and rul run offline. " +
            "Exit codes: 0 ok, 1 refused or failed, 2 bad usage, 3 not signed in, 4 forbidden, 5 rate limited.");
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(ModelsCommands.Build());
        root.Subcommands.Add(TwinsCommands.Build());
        root.Subcommands.Add(RelCommands.Build());
        root.Subcommands.Add(DbCommands.Build());
        root.Subcommands.Add(BenchCommands.Build());
        root.Subcommands.Add(SimulateCommand.Build());
        root.Subcommands.Add(HistoryCommands.Build());
        root.Subcommands.Add(DevicesCommands.Build());
        root.Subcommands.Add(AuthCommands.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(CommandCommand.Build());
        // Beside the other benchmarks without touching their file: twin bench commands.
        root.Subcommands.First(c => c.Name == "bench").Subcommands.Add(CommandBenchCommand.Build());
        foreach (var command in AnalysisCommands.Build().Concat(TelemetryCommands.Build()).Concat(HealthCommands.Build()))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'twin --help' (or the command with --help) for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }
}
