using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Client;

/// <summary>Typed helpers over the grain interfaces; refusals surface as <see cref="TwinOperationException"/>.</summary>
public sealed class TwinClient(IGrainFactory grains)
{
    /// <summary>The grain factory underneath.</summary>
    public IGrainFactory Grains { get; } = grains;

    /// <summary>One twin (validates the id).</summary>
    public ITwinGrain Twin(string id) => Grains.GetTwin(new TwinId(id));

    /// <summary>The twin, or a NotFound refusal.</summary>
    public async Task<TwinSnapshot> GetAsync(string id) =>
        await Twin(id).Get() ?? throw TwinOperationException.TwinNotFound(id);

    /// <summary>Every page of a query, followed lazily.</summary>
    public async IAsyncEnumerable<IndexEntry> QueryAllAsync(TwinQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = await Grains.GetQueries().Query(query);
        while (true)
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.ContinuationToken is null)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            page = await Grains.GetQueries().Query(query with { ContinuationToken = page.ContinuationToken });
        }
    }

    /// <summary>The containers of a twin, nearest first.</summary>
    public async Task<ImmutableArray<string>> AncestorsAsync(string id)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var current = id;
        while (await Twin(current).GetParent() is { } parent && result.Count < 64)
        {
            result.Add(parent);
            current = parent;
        }

        return result.ToImmutable();
    }

    /// <summary>The subtree under a twin, root first.</summary>
    public Task<ImmutableArray<IndexEntry>> SubtreeAsync(string id) => Grains.GetQueries().Subtree(id);
}
