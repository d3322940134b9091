using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Import;

/// <summary>
/// Bulk import of a fleet from NDJSON (see <see cref="ImportFileReader"/> for the line format). Models go in first as
/// one atomic upload; twins go in batches to import workers, each twin created with both sides of the relationships
/// between twins of the file in one write; relationships to twins already in the cluster go in one by one after.
/// Bad lines are reported by number and reason; good lines go in; anything half-made by a refusal is undone.
/// </summary>
public sealed class NdjsonImporter(IGrainFactory grains, ImportOptions? options = null)
{
    private readonly ImportOptions _options = options ?? new ImportOptions();

    /// <summary>Imports the file; progress is reported per batch.</summary>
    public async Task<ImportSummary> ImportAsync(TextReader reader, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var file = new ImportFileReader(_options.MaxLineLength);
        await file.ReadAsync(reader, cancellationToken);
        var errors = new ConcurrentBag<ImportLineError>(file.Errors);
        progress?.Report(new ImportProgress("read", file.Lines, file.Lines));

        var models = await UploadModels(file.Models, errors);
        progress?.Report(new ImportProgress("models", models, file.Models.Count));

        var (inFile, external) = Plan(file, errors);
        var results = await ImportTwins(file, inFile, progress, cancellationToken);
        var created = 0;
        foreach (var result in results.Values)
        {
            if (result.Error is null)
            {
                created++;
            }
            else
            {
                errors.Add(new ImportLineError(result.Line, $"twin '{result.Id}': {result.Error}"));
            }
        }

        var relationships = await SettleInFileRelationships(inFile, results, errors);
        relationships += await AddExternalRelationships(external, file, results, errors, progress, cancellationToken);
        return new ImportSummary(
            file.Lines,
            models,
            created,
            relationships,
            [.. errors.OrderBy(e => e.Line)],
            clock.Elapsed);
    }

    private async Task<int> UploadModels(List<ModelLine> lines, ConcurrentBag<ImportLineError> errors)
    {
        if (lines.Count == 0)
        {
            return 0;
        }

        var result = await grains.GetModelRepository().Upload([.. lines.Select(l => l.Document)]);
        if (result.Succeeded)
        {
            return result.Uploaded.Length;
        }

        // The upload is atomic: every model line is reported, the specific errors on the line they are about.
        foreach (var error in result.Errors)
        {
            var line = ModelUploadResult.DocumentIndex(error.Source) is int index && index < lines.Count
                ? lines[index].Line
                : lines[0].Line;
            errors.Add(new ImportLineError(line, $"model: {error.Message} ({error.Code} at {error.Path})"));
        }

        foreach (var line in lines)
        {
            errors.Add(new ImportLineError(line.Line, "model not uploaded: the models of an import go in together or not at all"));
        }

        return 0;
    }

    /// <summary>Splits relationships into those between twins of the file and those reaching outside it.</summary>
    private static (List<RelationshipLine> InFile, List<RelationshipLine> External) Plan(ImportFileReader file, ConcurrentBag<ImportLineError> errors)
    {
        var inFile = new List<RelationshipLine>();
        var external = new List<RelationshipLine>();
        var parents = new Dictionary<string, (string Parent, long Line)>(StringComparer.Ordinal);
        foreach (var rel in file.Relationships)
        {
            if (rel.Name == RelationshipNames.Contains)
            {
                if (parents.TryGetValue(rel.Target, out var existing))
                {
                    errors.Add(new ImportLineError(rel.Line, $"'{rel.Target}' is already contained by '{existing.Parent}' (line {existing.Line}); a twin has one container"));
                    continue;
                }

                if (IsAncestor(parents, rel.Target, rel.Source) || rel.Source == rel.Target)
                {
                    errors.Add(new ImportLineError(rel.Line, $"'{rel.Source}' containing '{rel.Target}' would make a containment cycle"));
                    continue;
                }

                parents[rel.Target] = (rel.Source, rel.Line);
            }

            (file.Twins.ContainsKey(rel.Source) && file.Twins.ContainsKey(rel.Target) ? inFile : external).Add(rel);
        }

        return (inFile, external);
    }

    private static bool IsAncestor(Dictionary<string, (string Parent, long Line)> parents, string candidate, string of)
    {
        var current = of;
        for (var depth = 0; depth < 10_000 && parents.TryGetValue(current, out var up); depth++)
        {
            if (up.Parent == candidate)
            {
                return true;
            }

            current = up.Parent;
        }

        return false;
    }

    private async Task<Dictionary<string, ImportItemResult>> ImportTwins(
        ImportFileReader file, List<RelationshipLine> inFile, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var outgoing = inFile.ToLookup(r => r.Source, StringComparer.Ordinal);
        var incoming = inFile.ToLookup(r => r.Target, StringComparer.Ordinal);
        var items = file.Twins.Values.OrderBy(t => t.Line).Select(t =>
            {
                var holds = outgoing[t.Id];
                // Most twins (components) hold no relationship: share the empty collections.
                var targets = holds.Any()
                    ? holds.Select(r => r.Target).Distinct(StringComparer.Ordinal).ToImmutableDictionary(id => id, id => file.Twins[id].ModelId, StringComparer.Ordinal)
                    : ImmutableDictionary<string, string>.Empty;
                return new TwinImportItem(
                    t.Line,
                    t.Id,
                    t.ModelId,
                    t.PropertiesJson,
                    [.. holds.Select(r => new Relationship(r.Id, r.Name, r.Source, r.Target, r.PropertiesJson))],
                    [.. incoming[t.Id].Select(r => new IncomingRelationship(r.Id, r.Name, r.Source))],
                    targets);
            })
            .Chunk(_options.BatchSize)
            .ToList();
        var results = new ConcurrentDictionary<string, ImportItemResult>(StringComparer.Ordinal);
        long done = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken }, async (batch, _) =>
        {
            ImmutableArray<ImportItemResult> batchResults;
            try
            {
                batchResults = await grains.GetImporter().ImportTwins([.. batch]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The whole call failed (a silo lost, a timeout): report its lines; the settle step still runs.
                batchResults = [.. batch.Select(i => new ImportItemResult(i.Line, i.Id, $"batch failed: {ex.Message}", []))];
            }

            foreach (var result in batchResults)
            {
                results[result.Id] = result;
            }

            progress?.Report(new ImportProgress("twins", Interlocked.Add(ref done, batch.Length), file.Twins.Count));
        });
        return new Dictionary<string, ImportItemResult>(results, StringComparer.Ordinal);
    }

    /// <summary>Counts the in-file relationships that went in and undoes the half of each one that did not.</summary>
    private async Task<int> SettleInFileRelationships(
        List<RelationshipLine> inFile, Dictionary<string, ImportItemResult> results, ConcurrentBag<ImportLineError> errors)
    {
        var created = 0;
        var undo = new List<Task>();
        foreach (var rel in inFile)
        {
            var source = results[rel.Source];
            var target = results[rel.Target];
            string? problem = null;
            if (source.Error is not null)
            {
                problem = $"source twin '{rel.Source}' was not imported";
                if (target.Error is null)
                {
                    undo.Add(grains.GetTwin(new TwinId(rel.Target)).RemoveIncoming(rel.Source, rel.Id));
                }
            }
            else if (target.Error is not null)
            {
                problem = $"target twin '{rel.Target}' was not imported";
                undo.Add(grains.GetTwin(new TwinId(rel.Source)).RemoveRelationship(rel.Id, null));
            }
            else if (source.RejectedRelationships.FirstOrDefault(r => r.RelationshipId == rel.Id) is { } rejected)
            {
                problem = rejected.Reason;
                undo.Add(grains.GetTwin(new TwinId(rel.Target)).RemoveIncoming(rel.Source, rel.Id));
            }

            if (problem is null)
            {
                created++;
            }
            else
            {
                errors.Add(new ImportLineError(rel.Line, $"relationship '{rel.Id}' of '{rel.Source}': {problem}"));
            }
        }

        await Task.WhenAll(undo);
        return created;
    }

    private async Task<int> AddExternalRelationships(
        List<RelationshipLine> external,
        ImportFileReader file,
        Dictionary<string, ImportItemResult> results,
        ConcurrentBag<ImportLineError> errors,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var created = 0;
        await Parallel.ForEachAsync(external, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism * 8, CancellationToken = cancellationToken }, async (rel, _) =>
        {
            if (file.Twins.ContainsKey(rel.Source) && results[rel.Source].Error is not null)
            {
                errors.Add(new ImportLineError(rel.Line, $"relationship '{rel.Id}' of '{rel.Source}': source twin '{rel.Source}' was not imported"));
                return;
            }

            try
            {
                await grains.GetTwin(new TwinId(rel.Source)).AddRelationship(rel.Id, rel.Name, rel.Target, rel.PropertiesJson, null);
                Interlocked.Increment(ref created);
            }
            catch (TwinOperationException ex)
            {
                errors.Add(new ImportLineError(rel.Line, $"relationship '{rel.Id}' of '{rel.Source}': {ex.Message}"));
            }
        });
        progress?.Report(new ImportProgress("relationships", external.Count, external.Count));
        return created;
    }
}
