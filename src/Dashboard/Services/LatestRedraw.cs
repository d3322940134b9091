namespace TwinCluster.Dashboard.Services;

/// <summary>
/// One redraw at a time, always of the latest version: while a redraw runs (its JS interop calls wait for a browser that
/// may be slower than the updates), further requests return at once, and when it ends the newest version is drawn once.
/// A slow browser gets fewer redraws, never a queue of them (each queued redraw would keep its figures on the server).
/// Used from one component's renderer context, which runs one piece of it at a time: not thread-safe.
/// </summary>
public sealed class LatestRedraw
{
    private bool _running;

    /// <summary>The version last drawn.</summary>
    public long Drawn { get; private set; }

    /// <summary>Redraws done.</summary>
    public long Redraws { get; private set; }

    /// <summary>Redraws running now (0 or 1; for tests).</summary>
    public int Running => _running ? 1 : 0;

    /// <summary>Records that <paramref name="version"/> is on screen without a redraw (the first render draws itself).</summary>
    public void Shown(long version) => Drawn = version;

    /// <summary>
    /// Draws until <paramref name="latest"/> is what was drawn; returns at once when a redraw is already running (that one
    /// draws the latest when it ends).
    /// </summary>
    public async Task DrawAsync(Func<long> latest, Func<Task> draw)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(draw);
        if (_running)
        {
            return;
        }

        _running = true;
        try
        {
            while (latest() is var version && version != Drawn)
            {
                await draw();
                Drawn = version;
                Redraws++;
            }
        }
        finally
        {
            _running = false;
        }
    }
}
