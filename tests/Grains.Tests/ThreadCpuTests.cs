using System.Diagnostics;
using TwinCluster.Grains.Diagnostics;

namespace TwinCluster.Grains.Tests;

/// <summary>The thread CPU clock that costs the condition monitor: it counts work, not time spent off the CPU.</summary>
public sealed class ThreadCpuTests
{
    [Fact]
    public void Work_counts_and_sleeping_does_not()
    {
        Assert.Equal(OperatingSystem.IsLinux(), ThreadCpu.IsCpuTime);
        var start = ThreadCpu.Now();
        var clock = Stopwatch.StartNew();
        double x = 0;
        while (clock.ElapsedMilliseconds < 30)
        {
            x += Math.Sqrt(x + 1);
        }

        var worked = Stopwatch.GetElapsedTime(0, ThreadCpu.Now() - start);
        Assert.True(x > 0 && worked > TimeSpan.Zero, $"30 ms of work read as {worked.TotalMilliseconds} ms");

        if (ThreadCpu.IsCpuTime)
        {
            var before = ThreadCpu.Now();
            Thread.Sleep(100);   // off the CPU on purpose: the clock under test must not count it
            var slept = Stopwatch.GetElapsedTime(0, ThreadCpu.Now() - before);
            Assert.True(slept < TimeSpan.FromMilliseconds(20), $"100 ms asleep read as {slept.TotalMilliseconds} ms of CPU");
        }
    }

    [Theory]
    [InlineData(0L, 0L, 1_000_000_000L, 0L)]
    [InlineData(9L, 500_000_000L, 1_000_000_000L, 9_500_000_000L)]
    [InlineData(3_600L, 250_000_000L, 1_000_000_000L, 3_600_250_000_000L)]   // an hour of thread CPU: 3.6e21 if multiplied first
    [InlineData(3_600L, 250_000_000L, 10_000_000L, 36_002_500_000L)]        // 100 ns ticks (Windows' Stopwatch)
    public void Clock_readings_convert_to_stopwatch_ticks_without_overflow(long seconds, long nanoseconds, long frequency, long expected)
    {
        Assert.Equal(expected, ThreadCpu.ToStopwatchTicks(seconds, nanoseconds, frequency));
    }
}
