using System.CommandLine;

namespace TwinCluster.Cli.Commands;

/// <summary>Offline analysis commands (<c>twin analyze</c>, <c>twin rul</c>); wired once the analysis library lands.</summary>
public static class AnalysisCommands
{
    public static IEnumerable<Command> Build() => [];
}
