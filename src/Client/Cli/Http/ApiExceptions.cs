using System.Collections.Immutable;

namespace TwinCluster.Cli.Http;

/// <summary>The API refused the principal: not signed in (401), not allowed (403) or too many requests (429); each has its exit code.</summary>
public sealed class ApiAccessException(int status, string message, int exitCode) : Exception(message)
{
    public int Status { get; } = status;

    public int ExitCode { get; } = exitCode;
}

/// <summary>The API refused the request with a code (TwinCluster's, e.g. NotFound, or one of ADT's) and a message.</summary>
public sealed class ApiErrorException(int status, string code, string message, ImmutableArray<string> details) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public ImmutableArray<string> Details { get; } = details;
}

/// <summary>No silo answered at the address (refused, unreachable, or an untrusted certificate).</summary>
public sealed class ApiUnreachableException(string message, Exception inner) : Exception(message, inner);
