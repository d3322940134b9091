namespace TwinCluster.Dashboard.Services;

/// <summary>
/// How many dashboard circuits (browser tabs on interactive pages) the server holds, and how many of them have a
/// connection now; counted by <see cref="CircuitCounter"/>. One per server, for diagnostics and the benchmark.
/// </summary>
public sealed class DashboardCircuits
{
    private int _open;
    private int _connected;

    /// <summary>Circuits in memory (a disconnected one stays for the retention period, in case its tab reconnects).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Circuits with a live connection.</summary>
    public int Connected => Volatile.Read(ref _connected);

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal void Up() => Interlocked.Increment(ref _connected);

    internal void Down() => Interlocked.Decrement(ref _connected);
}
