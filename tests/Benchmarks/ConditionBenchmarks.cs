using BenchmarkDotNet.Attributes;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;

namespace TwinCluster.Benchmarks;

/// <summary>
/// Condition monitoring at 1 kHz, one component: what ComponentMonitor (src/Grains/Condition) does per window, which
/// is what it costs. This project references only Modeling and Analytics, so the monitor's steps are reproduced here:
/// 1,024-sample blocks appended to a float ring one window long (1,024 samples at 1 kHz: the analyzer's shortest
/// segment), and every half window the ring copied out and analysed (generator zones, SKF 6205 geometry). One second
/// of signal is 1,000 / 512 windows; the whole monitor, condition and alert logic included, is measured by
/// ConditionCostTests in tests/Grains.Tests.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ConditionBenchmarks
{
    private const double Fs = 1_000;
    private const int Window = 1024;
    private const int Hop = Window / 2;
    private readonly float[] _ring = new float[Window];
    private readonly double[] _window = new double[Window];
    private readonly float[][] _blocks = new float[16][];
    private VibrationAnalyzer _analyzer = null!;
    private int _write;
    private int _untilWindow = Window;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var simulator = new BearingVibrationSimulator(new BearingVibrationOptions
        {
            SampleRateHz = Fs,
            Bearing = new BearingGeometry(9, 7.94004, 39.0398, 0),
            ShaftHz = 10,
            Fault = SimulatedFault.OuterRace,
            Severity = 0.3,
            ResonanceHz = 300,
            Seed = 1,
        });
        for (var i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = new float[1024];
            simulator.Fill(_blocks[i]);
        }

        _analyzer = new VibrationAnalyzer(new VibrationAnalyzerOptions
        {
            SampleRateHz = Fs,
            Bearing = new BearingGeometry(9, 7.94004, 39.0398, 0),
            Component = ComponentKind.Generator,
            Overlap = 0.5,
        });
        for (var i = 0; i < 8; i++)
        {
            _ = OneBlock();
        }
    }

    [Benchmark(Description = "Analyse one 1,024-sample window @ 1 kHz")]
    public double AnalyseWindow()
    {
        CopyWindow();
        return _analyzer.Analyze(_window, 10).HealthIndex;
    }

    /// <summary>One 1,024-sample block (1.024 s at 1 kHz): appended, and the two windows it completes analysed.</summary>
    [Benchmark(Description = "One 1,024-sample block @ 1 kHz (1.024 s of signal)")]
    public double OneBlock()
    {
        var block = _blocks[_next++ % _blocks.Length].AsSpan();
        var health = 0.0;
        while (!block.IsEmpty)
        {
            var take = Math.Min(block.Length, _untilWindow);
            for (var i = 0; i < take; i++)
            {
                _ring[_write] = block[i];
                _write = (_write + 1) % Window;
            }

            block = block[take..];
            _untilWindow -= take;
            if (_untilWindow == 0)
            {
                health += AnalyseWindow();
                _untilWindow = Hop;
            }
        }

        return health;
    }

    private void CopyWindow()
    {
        for (var i = 0; i < Window; i++)
        {
            _window[i] = _ring[(_write + i) % Window];
        }
    }
}
