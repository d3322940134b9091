namespace TwinCluster.Storage.History.Bench;

/// <summary>Latency of one kind of trend query in a <see cref="HistoryBench"/> run, and what the last one returned.</summary>
/// <param name="What">The query.</param>
/// <param name="Runs">Timed runs (after unmeasured warm-up runs).</param>
/// <param name="P50Ms">Median, ms.</param>
/// <param name="P99Ms">99th percentile, ms (the maximum when there are fewer than 100 runs).</param>
/// <param name="MaxMs">Slowest, ms.</param>
/// <param name="Series">Series returned.</param>
/// <param name="Buckets">Buckets returned over all series.</param>
/// <param name="Points">Feature points counted in those buckets.</param>
/// <param name="Step">The bucket width.</param>
/// <param name="Tiers">Which tier answered which part of the range.</param>
public sealed record HistoryBenchLatency(string What, int Runs, double P50Ms, double P99Ms, double MaxMs, int Series, long Buckets, long Points, string Step, string Tiers);
