using Polly;
using Polly.Retry;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// The ingress's one resilience pipeline: every step that must succeed before a message is acknowledged (twin
/// lookups, the log append, dead-letter writes, the stream publish) is retried until it does, with exponential
/// backoff from 100 ms up to 5 s, on the pipeline's clock. Nothing is acknowledged meanwhile, so the pipeline fills
/// and the transports wait. Only the caller's own cancellation stops it.
/// </summary>
internal sealed class IngressRetry
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly ResiliencePropertyKey<Action<Exception, int>> OnRetryKey = new("tc.ingress.onRetry");

    private readonly ResiliencePipeline _pipeline;

    public IngressRetry(TimeProvider time) =>
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                    && (ex is not OperationCanceledException || !args.Context.CancellationToken.IsCancellationRequested)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(OnRetryKey, out var onRetry))
                    {
                        onRetry(args.Outcome.Exception!, args.AttemptNumber + 1);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>Runs <paramref name="action"/> until it succeeds; <paramref name="onRetry"/> hears of each failure and its attempt number.</summary>
    public async ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> action, Action<Exception, int> onRetry, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OnRetryKey, onRetry);
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, run) => run(ctx.CancellationToken), context, action);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Runs <paramref name="action"/> until it succeeds (see the other overload).</summary>
    public ValueTask<bool> RunAsync(Func<CancellationToken, Task> action, Action<Exception, int> onRetry, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            await action(ct);
            return true;
        }, onRetry, cancellationToken);

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(attempt, 10))));
}
