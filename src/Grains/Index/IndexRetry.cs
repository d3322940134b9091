using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Index;

/// <summary>
/// After a twin's state write is committed the index must follow: a few retries cover a shard that is moving. If it
/// still fails the caller learns (<see cref="IndexLagException"/>) that the write is stored but not yet queryable;
/// the twin's next activation re-indexes. A refusal (<see cref="TwinOperationException"/>) is not retried.
/// </summary>
public static class IndexRetry
{
    private static readonly ResiliencePropertyKey<Action<Exception?, int>> OnRetry = new("tc.twin.onIndexRetry");

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(50),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not TwinOperationException),
            OnRetry = args =>
            {
                if (args.Context.Properties.TryGetValue(OnRetry, out var log))
                {
                    log(args.Outcome.Exception, args.AttemptNumber + 1);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Runs <paramref name="update"/> of twin <paramref name="twinId"/>'s entry with the retries; each retry is logged.</summary>
    public static async Task RunAsync(string twinId, Func<Task> update, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(update);
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OnRetry, (ex, attempt) =>
            logger.LogWarning(ex, "Twin {TwinId}: index update failed (attempt {Attempt}), retrying", twinId, attempt));
        try
        {
            await Pipeline.ExecuteAsync(_ => new ValueTask(update()), context);
        }
        catch (Exception ex) when (ex is not TwinOperationException)
        {
            throw new IndexLagException($"twin '{twinId}' was written but its query index entry could not be updated: {ex.Message}");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
