using System.Reflection;
using System.Runtime.ExceptionServices;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests.Pipeline;

/// <summary>
/// Wraps a telemetry log so that its first appends fail; <see cref="OnAttempt"/> runs at the start of every append.
/// A proxy rather than a hand-written wrapper: only AppendNewAsync changes, everything else goes to the real log
/// whatever the interface's other members look like.
/// </summary>
public class FlakyTelemetryLog : DispatchProxy
{
    private ITelemetryLog _inner = null!;
    private int _failuresLeft;
    private int _attempts;

    /// <summary>Runs at the start of every append attempt.</summary>
    public Action? OnAttempt { get; set; }

    /// <summary>How many appends were tried.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>A log that fails its first <paramref name="failures"/> appends, then appends to <paramref name="inner"/>.</summary>
    public static (ITelemetryLog Log, FlakyTelemetryLog Control) Wrap(ITelemetryLog inner, int failures)
    {
        var log = Create<ITelemetryLog, FlakyTelemetryLog>();
        var control = (FlakyTelemetryLog)(object)log;
        control._inner = inner;
        control._failuresLeft = failures;
        return (log, control);
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ITelemetryLog.AppendNewAsync))
        {
            Interlocked.Increment(ref _attempts);
            OnAttempt?.Invoke();
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                return Task.FromException<IReadOnlyList<TelemetryMessage>>(new IOException("the log is unreachable"));
            }
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
