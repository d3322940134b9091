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
    /// <summary>An HttpClient for the API that trusts the CA in <paramref name="caPath"/> (PEM), or the system's when null.</summary>
    public static HttpClient CreateClient(Uri endpoint, string? caPath, string? token = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        if (caPath is not null)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerCallback(ca);
        }

        var client = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Calls per second over <paramref name="duration"/> with <paramref name="callers"/> callers in flight.</summary>
    public static async Task<double> RateAsync(int callers, TimeSpan duration, Func<int, Task> call, CancellationToken cancellationToken)
    {
        long done = 0;
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
        return done / clock.Elapsed.TotalSeconds;
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
