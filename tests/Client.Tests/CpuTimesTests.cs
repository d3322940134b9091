using TwinCluster.Client.Bench;

namespace TwinCluster.Client.Tests;

/// <summary>The hypervisor's steal that <c>twin bench api</c> prints beside its figures, from /proc/stat's cpu line.</summary>
public sealed class CpuTimesTests
{
    [Fact]
    public void The_cpu_line_sums_the_eight_counters_up_to_steal_and_not_the_guest_ones()
    {
        var times = CpuTimes.Parse("cpu  100 5 20 800 10 1 4 60 7 3");

        Assert.Equal(new CpuTimes(100 + 5 + 20 + 800 + 10 + 1 + 4 + 60, 60), times);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpu0 100 5 20 800 10 1 4 60")]
    [InlineData("intr 100 5 20 800 10 1 4 60")]
    [InlineData("cpu 100 5 20 800 10 1 4")]
    [InlineData("cpu 100 5 20 -800 10 1 4 60")]
    [InlineData("cpu 100 5 20 x 10 1 4 60")]
    public void Any_other_line_is_no_reading(string? line)
    {
        Assert.Null(CpuTimes.Parse(line));
    }

    [Fact]
    public void The_share_is_the_steal_between_two_readings_over_all_the_time_between_them()
    {
        var before = new CpuTimes(1_000, 100);
        var after = new CpuTimes(1_400, 200);

        Assert.Equal(0.25, CpuTimes.StealShare(before, after), 10);
    }

    [Fact]
    public void Without_two_readings_or_with_no_time_between_them_there_is_no_share()
    {
        var reading = new CpuTimes(1_000, 100);

        Assert.True(double.IsNaN(CpuTimes.StealShare(null, reading)));
        Assert.True(double.IsNaN(CpuTimes.StealShare(reading, null)));
        Assert.True(double.IsNaN(CpuTimes.StealShare(reading, reading)));
    }

    [Fact]
    public void This_machine_reads_when_it_has_proc_stat()
    {
        if (!File.Exists("/proc/stat"))
        {
            Assert.Skip("no /proc/stat on this machine (not Linux): nothing to read");
        }

        var times = CpuTimes.Read();

        Assert.NotNull(times);
        Assert.InRange(times.Value.Steal, 0, times.Value.Total);
    }
}
