using BenchmarkDotNet.Running;

if (args is ["adt-query", .. var rest])
{
    await TwinCluster.Benchmarks.AdtQueryBenchmark.Run(rest);
    return;
}

// Not typeof(Program): the Silo project, referenced for the query benchmark, has a Program of its own.
BenchmarkSwitcher.FromAssembly(typeof(TwinCluster.Benchmarks.AdtQueryBenchmark).Assembly).Run(args);
