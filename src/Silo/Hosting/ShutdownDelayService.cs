namespace TwinCluster.Silo.Hosting;

/// <summary>
/// Holds the silo's shutdown back by <c>TwinCluster:ShutdownDelay</c> while <c>/readyz</c> already answers 503, so that
/// whatever routes work here (a Kubernetes Service, a load balancer) stops before Orleans hands its activations over.
/// The wait is in <see cref="StoppingAsync"/>, which the host runs before it stops any service: the web server still
/// answers meanwhile (with 503 on /readyz), and Orleans still serves its gateway clients.
/// </summary>
public sealed class ShutdownDelayService(TimeSpan delay, ILogger<ShutdownDelayService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
