using BenchmarkDotNet.Attributes;
using TwinCluster.Analytics;

namespace TwinCluster.Benchmarks;

/// <summary>
/// Whole analysis (indicators, Welch spectra, envelope band grid, diagnosis) of one second at 25.6 kHz, one core.
/// Min is shown next to Mean because the shared build machine inflates the mean.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class AnalyticsPipelineBenchmarks
{
    private const double Fs = 25_600;
    private readonly double[] _second = new double[25_600];
    private VibrationAnalyzer _analyzer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var bpfo = 3.5848 * 25;
        var next = 0.0;
        for (var i = 0; i < _second.Length; i++)
        {
            var t = i / Fs;
            _second[i] = 0.3 * (rng.NextDouble() - 0.5) + 0.02 * Math.Sin(2 * Math.PI * 25 * t);
            if (t >= next)
            {
                next += 1 / bpfo;
                for (var j = 0; j < 200 && i + j < _second.Length; j++)
                {
                    _second[i + j] += 0.5 * Math.Exp(-800.0 * j / Fs) * Math.Sin(2 * Math.PI * 3000 * j / Fs);
                }
            }
        }

        _analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions
        {
            SampleRateHz = Fs,
            Bearing = new BearingGeometry(9, 0.3126, 1.537, 0),
            Component = ComponentKind.Generator,
        });
        _ = _analyzer.Analyze(_second, 25);
    }

    [Benchmark(Description = "Analyze 1 s @ 25.6 kHz")]
    public FaultKind AnalyzeOneSecond() => _analyzer.Analyze(_second, 25).Diagnosis.Fault;
}
