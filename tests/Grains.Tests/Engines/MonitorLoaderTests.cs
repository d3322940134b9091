using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.History;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Telemetry;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Engines;

public sealed class MonitorLoaderTests
{
    private sealed class NoHistory : ITwinHistorySink
    {
        public void WindowAnalysed(string twinId, string channel, AnalysisResult window, ComponentCondition condition)
        {
        }

        public void TelemetryApplied(string twinId, TelemetryRecord record)
        {
        }

        public void TwinChanged(string twinId, string operation, TwinSnapshot? before, TwinSnapshot? after, DateTimeOffset at)
        {
        }
    }

    private static TelemetryIntake Intake() =>
        new("b-1", new TelemetryCheckpoint(), new ListHistory(), new TelemetryOptions(), TelemetryMetrics, new ManualClock(T0), NullLogger.Instance);

    private static MonitorLoader Loader(Func<string, string, Task<ComponentMonitor?>> create) =>
        new("b-1", Intake(), create, new NoHistory(), NullLogger.Instance);

    [Fact]
    public async Task The_monitor_is_built_once_and_concurrent_callers_wait_for_the_same_build()
    {
        var builds = new List<(string Model, string Properties)>();
        var gate = new TaskCompletionSource<ComponentMonitor?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loader = Loader((model, properties) =>
        {
            builds.Add((model, properties));
            return gate.Task;
        });

        var first = loader.EnsureAsync("dtmi:test:Bearing;1", "{}");
        var second = loader.EnsureAsync("dtmi:test:Bearing;1", "{}");
        Assert.Same(first, second);
        gate.SetResult(null);
        await first;
        await loader.EnsureAsync("dtmi:test:Bearing;1", "{}");

        Assert.Equal([("dtmi:test:Bearing;1", "{}")], builds);
    }

    [Fact]
    public async Task A_refused_model_means_no_monitoring_but_another_failure_is_tried_again()
    {
        var calls = 0;
        var refused = Loader((_, _) =>
        {
            calls++;
            throw new TwinOperationException(TwinErrorCode.NotFound, "no such model");
        });
        await refused.EnsureAsync("m", "{}");
        await refused.EnsureAsync("m", "{}");
        Assert.Equal(1, calls);

        var attempts = 0;
        var flaky = Loader((_, _) => ++attempts == 1 ? throw new TimeoutException("repository busy") : Task.FromResult<ComponentMonitor?>(null));
        await Assert.ThrowsAsync<TimeoutException>(() => flaky.EnsureAsync("m", "{}"));
        await flaky.EnsureAsync("m", "{}");
        await flaky.EnsureAsync("m", "{}");
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Renewed_or_forgotten_the_monitor_is_built_again_from_the_new_properties()
    {
        var built = new List<string>();
        var loader = Loader((_, properties) =>
        {
            built.Add(properties);
            return Task.FromResult<ComponentMonitor?>(null);
        });

        await loader.EnsureAsync("m", """{"rpm":1}""");
        loader.Renew();
        await loader.EnsureAsync("m", """{"rpm":2}""");
        loader.Forget();
        await loader.EnsureAsync("m", """{"rpm":3}""");

        Assert.Equal(["""{"rpm":1}""", """{"rpm":2}""", """{"rpm":3}"""], built);
    }
}
