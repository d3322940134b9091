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
            return ToStopwatchTicks(ts.Seconds, ts.Nanoseconds, Stopwatch.Frequency);
        }

        return Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// A clock reading of <paramref name="seconds"/> and <paramref name="nanoseconds"/> in ticks of
    /// <paramref name="frequency"/> per second, without overflow: nanoseconds times a 1 GHz frequency overflow a long
    /// after 9.2 s, which a pool thread's CPU clock passes within minutes (the condition bench then read garbage,
    /// negative cores included).
    /// </summary>
    public static long ToStopwatchTicks(long seconds, long nanoseconds, long frequency) =>
        seconds * frequency + (long)((Int128)nanoseconds * frequency / 1_000_000_000);

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
