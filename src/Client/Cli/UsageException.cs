namespace TwinCluster.Cli;

/// <summary>The command line is well-formed but a value in it is not usable (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
