namespace TwinCluster.Grains.Health;

/// <summary>
/// Runs <paramref name="run"/> one at a time: a request while it runs does not start a second run but makes the
/// running one go once more after it ends (so what arrived meanwhile is handled), and waits for that.
/// </summary>
public sealed class SingleFlight(Func<Task> run)
{
    private Task? _running;
    private bool _again;

    /// <summary>Starts a run, or asks the running one for one more round; completes when the last round ends.</summary>
    public Task RunAsync()
    {
        if (_running is { IsCompleted: false })
        {
            _again = true;
            return _running;
        }

        return _running = Loop();
    }

    private async Task Loop()
    {
        do
        {
            _again = false;
            await run();
        }
        while (_again);
    }
}
