using System.Collections.Concurrent;
using System.Collections.Immutable;
using TwinCluster.Simulation.Import;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>What an import job reports: its state, progress and the lines that did not go in.</summary>
public sealed record ImportJobDto(
    string Id, string Status, DateTimeOffset CreatedDateTime, DateTimeOffset LastActionDateTime, DateTimeOffset? FinishedDateTime,
    string? Phase, long Done, long Total, long Lines, int ModelsUploaded, int TwinsCreated, int RelationshipsCreated,
    IReadOnlyList<ImportLineError> Errors, string? Error);

/// <summary>
/// Import jobs of this silo: an NDJSON body (the format of <c>twin twins import</c>) is spooled to a temporary file and
/// imported in the background by the same importer as the CLI; the job reports progress and per-line errors and can
/// be cancelled (what went in before stays, as with the CLI). Jobs live in memory and are lost at restart.
/// </summary>
public sealed class ImportJobs(IGrainFactory grains, TimeProvider time, ILogger<ImportJobs> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    public IReadOnlyList<ImportJobDto> List() => [.. _jobs.Values.OrderBy(j => j.Created).Select(j => j.ToDto())];

    public ImportJobDto? Get(string id) => _jobs.TryGetValue(id, out var job) ? job.ToDto() : null;

    /// <summary>Starts a job over the spooled file; false when a job of that id exists.</summary>
    public bool TryStart(string id, string file, out ImportJobDto dto)
    {
        var job = new Job(id, file, time.GetUtcNow());
        if (!_jobs.TryAdd(id, job))
        {
            dto = _jobs[id].ToDto();
            return false;
        }

        job.Run = Task.Run(() => RunAsync(job));
        dto = job.ToDto();
        return true;
    }

    public ImportJobDto? Cancel(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        job.Cancel.Cancel();
        return job.ToDto();
    }

    /// <summary>Removes a finished job (a running one is cancelled first); false when unknown.</summary>
    public async Task<bool> DeleteAsync(string id)
    {
        if (!_jobs.TryRemove(id, out var job))
        {
            return false;
        }

        await job.Cancel.CancelAsync();
        if (job.Run is { } run)
        {
            await run.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var job in _jobs.Values)
        {
            job.Cancel.Cancel();
        }
    }

    private async Task RunAsync(Job job)
    {
        job.Status = "running";
        job.Touch(time.GetUtcNow());
        try
        {
            using var reader = new StreamReader(job.File);
            var progress = new Progress(job, time);
            var summary = await new NdjsonImporter(grains).ImportAsync(reader, progress, job.Cancel.Token);
            job.Summary = summary;
            job.Status = summary.Succeeded ? "succeeded" : "failed";
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            job.Status = "cancelled";
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import job {Job} failed", job.Id);
            job.Error = ex.Message;
            job.Status = "failed";
        }
        finally
        {
            job.Finished = time.GetUtcNow();
            job.Touch(job.Finished.Value);
            try
            {
                File.Delete(job.File);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Import job {Job}: could not delete {File}", job.Id, job.File);
            }
        }
    }

    private sealed class Progress(Job job, TimeProvider time) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            job.Progress = value;
            job.Touch(time.GetUtcNow());
        }
    }

    private sealed class Job(string id, string file, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public string File { get; } = file;

        public DateTimeOffset Created { get; } = created;

        public CancellationTokenSource Cancel { get; } = new();

        public Task? Run { get; set; }

        public volatile string Status = "notstarted";

        public ImportProgress? Progress { get; set; }

        public ImportSummary? Summary { get; set; }

        public string? Error { get; set; }

        public DateTimeOffset? Finished { get; set; }

        private long _lastAction = created.UtcTicks;

        public void Touch(DateTimeOffset at) => Interlocked.Exchange(ref _lastAction, at.UtcTicks);

        public ImportJobDto ToDto() => new(
            Id, Status, Created, new DateTimeOffset(Interlocked.Read(ref _lastAction), TimeSpan.Zero), Finished,
            Progress?.Phase, Progress?.Done ?? 0, Progress?.Total ?? 0, Summary?.Lines ?? 0, Summary?.ModelsUploaded ?? 0,
            Summary?.TwinsCreated ?? 0, Summary?.RelationshipsCreated ?? 0, Summary is { } s ? s.Errors : ImmutableArray<ImportLineError>.Empty, Error);
    }
}
