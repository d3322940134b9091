namespace TwinCluster.Silo.Hosting;

/// <summary>
/// Holds the silo's shutdown back by <c>TwinCluster:ShutdownDelay</c> while <c>/readyz</c> already answers 503, so that
/// whatever routes work here (a Kubernetes Service, a load balancer) stops before Orleans hands its activations over.
/// </summary>
public sealed class ShutdownDelayService(TimeSpan delay, ILogger<ShutdownDelayService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        logger.LogInformation("Silo stopping: not ready any more; waiting {Delay} before Orleans shuts down", delay);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: stop now.
        }
    }
}
