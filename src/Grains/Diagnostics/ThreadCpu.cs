using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TwinCluster.Grains.Diagnostics;

/// <summary>
/// CPU time of the calling thread, for costing synchronous work (the condition monitor) without counting time the
/// thread spent preempted. Linux's per-thread CPU clock; elsewhere elapsed time, an upper bound.
/// </summary>
public static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True when <see cref="Now"/> is CPU time rather than elapsed time.</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>A reading in <see cref="Stopwatch"/> ticks; subtract two readings on the same thread.</summary>
    public static long Now()
    {
        if (IsCpuTime && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
        {
            return (ts.Seconds * 1_000_000_000 + ts.Nanoseconds) * Stopwatch.Frequency / 1_000_000_000;
        }

        return Stopwatch.GetTimestamp();
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
