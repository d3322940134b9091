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
}
