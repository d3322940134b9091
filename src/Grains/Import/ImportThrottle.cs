namespace TwinCluster.Grains.Import;

/// <summary>
/// Bounds the storage writes the import workers of one silo have in flight: each is a database connection in
/// PostgreSQL mode, and an import must not exhaust the server's connections (seen: "too many clients" at 8 workers
/// × 500 twins). Configured as <c>TwinCluster:Import:MaxConcurrentWrites</c>.
/// </summary>
public sealed class ImportThrottle(int maxConcurrentWrites)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrentWrites, maxConcurrentWrites);

    public int MaxConcurrentWrites { get; } = maxConcurrentWrites;

    public async Task<T> Run<T>(Func<Task<T>> write)
    {
        await _slots.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            _slots.Release();
        }
    }
}
