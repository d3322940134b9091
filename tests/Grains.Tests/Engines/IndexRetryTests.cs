using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Tests.Engines;

public sealed class IndexRetryTests
{
    [Fact]
    public async Task A_failing_update_is_tried_three_times_then_reported_as_index_lag()
    {
        var attempts = 0;

        var lag = await Assert.ThrowsAsync<IndexLagException>(() => IndexRetry.RunAsync("t1", () =>
        {
            attempts++;
            throw new TimeoutException("shard moving");
        }, NullLogger.Instance));

        Assert.Equal(3, attempts);
        Assert.Contains("twin 't1' was written but its query index entry could not be updated: shard moving", lag.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_that_succeeds_on_a_retry_is_done_and_a_refusal_is_not_retried()
    {
        var attempts = 0;
        await IndexRetry.RunAsync("t1", () => ++attempts < 2 ? throw new TimeoutException("once") : Task.CompletedTask, NullLogger.Instance);
        Assert.Equal(2, attempts);

        attempts = 0;
        var refused = await Assert.ThrowsAsync<TwinOperationException>(() => IndexRetry.RunAsync("t1", () =>
        {
            attempts++;
            throw new TwinOperationException(TwinErrorCode.Invalid, "no");
        }, NullLogger.Instance));
        Assert.Equal(1, attempts);
        Assert.Equal(TwinErrorCode.Invalid, refused.Code);
    }
}
