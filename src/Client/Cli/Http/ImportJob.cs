using System.Globalization;
using TwinCluster.Simulation.Import;

namespace TwinCluster.Cli.Http;

/// <summary><c>twin twins import</c> over HTTP: the NDJSON goes to an ADT import job, whose progress is followed until it ends.</summary>
public static class ImportJob
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<ImportSummary> RunAsync(TwinApi api, Stream ndjson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        var id = "cli-" + Guid.NewGuid().ToString("N");
        var job = await api.StartImportAsync(id, ndjson, ct);
        try
        {
            while (!job.Finished)
            {
                if (job.Phase is { } phase)
                {
                    Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{phase}: {job.Done:N0}/{job.Total:N0}   "));
                }

                try
                {
                    // Polling an asynchronous job: the interval paces the requests, the job's state decides the end.
                    await Task.Delay(PollInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    await api.CancelImportAsync(id, CancellationToken.None);
                    throw;
                }

                job = await api.GetImportAsync(id, ct);
            }

            Console.Error.WriteLine();
            return job.Status switch
            {
                "cancelled" => throw new ApiErrorException(409, "Cancelled", $"import job {id} was cancelled; what went in before stays", []),
                "failed" when job.Error is { } error => throw new ApiErrorException(500, "ImportFailed", $"import job {id} failed: {error}", []),
                _ => job.ToSummary(),
            };
        }
        finally
        {
            if (job.Finished)
            {
                await api.DeleteImportAsync(id, CancellationToken.None);
            }
        }
    }
}
