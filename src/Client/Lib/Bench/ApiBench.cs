using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Client.Bench;

/// <summary>
/// Load loops for <c>twin bench api</c>: a fixed number of callers, each issuing the next call when the last returns,
/// for a fixed time; and an HttpClient that trusts exactly the silo's (development) CA.
/// </summary>
public static class ApiBench
{
    /// <summary>
    /// An HttpClient for the API that trusts the CA in <paramref name="caPath"/> (PEM), or the system's when null; HTTP/1.1
    /// (a connection per call in flight), or HTTP/2 when <paramref name="http2"/> (calls multiplexed on few connections).
    /// </summary>
    public static HttpClient CreateClient(Uri endpoint, string? caPath, string? token = null, bool http2 = false)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
        };
        if (caPath is not null)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerCallback(ca);
        }

        var client = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        if (http2)
        {
            client.DefaultRequestVersion = System.Net.HttpVersion.Version20;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Calls per second over <paramref name="duration"/> with <paramref name="callers"/> callers in flight.</summary>
    public static async Task<double> RateAsync(int callers, TimeSpan duration, Func<int, Task> call, CancellationToken cancellationToken) =>
        (await MeasureAsync(callers, duration, call, cancellationToken)).PerSecond;

    /// <summary>
    /// Calls per second over <paramref name="duration"/> with <paramref name="callers"/> callers in flight; the CPU
    /// time this process (the bench client) spent per call meanwhile, in milliseconds; and the share of the machine's
    /// CPU time the hypervisor gave to other guests meanwhile (steal, from /proc/stat; NaN where there is none): a
    /// phase with a large share measured a busy host.
    /// </summary>
    public static async Task<(double PerSecond, double ClientCpuMsPerCall, double StealShare)> MeasureAsync(int callers, TimeSpan duration, Func<int, Task> call, CancellationToken cancellationToken)
    {
        long done = 0;
        var steal = CpuTimes.Read();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(async worker =>
        {
            var i = worker;
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                await call(i);
                i += callers;
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        return (done / elapsed.TotalSeconds, done == 0 ? double.NaN : used.TotalMilliseconds / done, CpuTimes.StealShare(steal, CpuTimes.Read()));
    }

    /// <summary>Latencies in milliseconds of <paramref name="count"/> calls one at a time, sorted.</summary>
    public static async Task<double[]> LatenciesAsync(int count, Func<int, Task> call)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values.</summary>
    public static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}

/// <summary>The machine's CPU time counters (the <c>cpu</c> line of /proc/stat), for the share stolen by the hypervisor.</summary>
public readonly record struct CpuTimes(long Total, long Steal)
{
    /// <summary>This machine's counters now; null where /proc/stat is missing or unreadable (not Linux).</summary>
    public static CpuTimes? Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return Parse(reader.ReadLine());
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The counters of a /proc/stat <c>cpu</c> line (user nice system idle iowait irq softirq steal …, in clock
    /// ticks); null for any other line, or one too short to carry steal.
    /// </summary>
    public static CpuTimes? Parse(string? line)
    {
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 9 || fields[0] != "cpu")
        {
            return null;
        }

        long total = 0, ticks = 0;
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice; steal is field 8, the last summed.
        for (var i = 1; i <= 8; i++)
        {
            if (!long.TryParse(fields[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ticks))
            {
                return null;
            }

            total += ticks;
        }

        return new CpuTimes(total, ticks);
    }

    /// <summary>Stolen share of the time between two readings; NaN when either is missing or no time passed.</summary>
    public static double StealShare(CpuTimes? before, CpuTimes? after) =>
        before is { } b && after is { } a && a.Total > b.Total ? (double)(a.Steal - b.Steal) / (a.Total - b.Total) : double.NaN;
}
