using TwinCluster.Grains.Health;

namespace TwinCluster.Grains.Tests.Health;

public sealed class SingleFlightTests
{
    [Fact]
    public async Task Requests_while_a_run_is_going_make_it_run_once_more_and_never_two_at_once()
    {
        var runs = 0;
        var concurrent = 0;
        var maxConcurrent = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = new SingleFlight(async () =>
        {
            maxConcurrent = Math.Max(maxConcurrent, ++concurrent);
            runs++;
            if (runs == 1)
            {
                await release.Task;
            }

            concurrent--;
        });

        var first = flight.RunAsync();
        var second = flight.RunAsync();
        var third = flight.RunAsync();
        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal(1, runs);

        release.SetResult();
        await first;

        Assert.Equal(2, runs);
        Assert.Equal(1, maxConcurrent);
        await flight.RunAsync();
        Assert.Equal(3, runs);
    }

    [Fact]
    public async Task A_failed_run_is_seen_by_its_callers_and_the_next_request_runs_again()
    {
        var runs = 0;
        var flight = new SingleFlight(() => ++runs == 1 ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(flight.RunAsync);
        await flight.RunAsync();

        Assert.Equal(2, runs);
    }
}
