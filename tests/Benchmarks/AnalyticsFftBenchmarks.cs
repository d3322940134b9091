using System.Numerics;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.IntegralTransforms;
using TwinCluster.Analytics.Fft;

namespace TwinCluster.Benchmarks;

/// <summary>
/// 4,096-point real FFT: ours against MathNet.Numerics 5.0.0 in the same run. MathNet is forced to one thread
/// (Control.UseSingleThread) because it parallelises large transforms internally, which a grain host cannot afford.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class AnalyticsFftBenchmarks
{
    private const int N = 4096;
    private readonly double[] _signal = new double[N];
    private readonly double[] _re = new double[N / 2 + 1];
    private readonly double[] _im = new double[N / 2 + 1];
    private readonly double[] _mathNetReal = new double[N + 2];
    private readonly Complex[] _mathNetComplex = new Complex[N];
    private RealFft _fft = null!;

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseSingleThread();
        var rng = new Random(42);
        for (var i = 0; i < N; i++)
        {
            _signal[i] = rng.NextDouble() - 0.5;
        }

        _fft = new RealFft(N);
    }

    [Benchmark(Baseline = true, Description = "MathNet ForwardReal 4096")]
    public double MathNetForwardReal()
    {
        Array.Copy(_signal, _mathNetReal, N);
        Fourier.ForwardReal(_mathNetReal, N, FourierOptions.Matlab);
        return _mathNetReal[3];
    }

    [Benchmark(Description = "MathNet Forward complex 4096")]
    public double MathNetForwardComplex()
    {
        for (var i = 0; i < N; i++)
        {
            _mathNetComplex[i] = new Complex(_signal[i], 0);
        }

        Fourier.Forward(_mathNetComplex, FourierOptions.Matlab);
        return _mathNetComplex[3].Real;
    }

    [Benchmark(Description = "TwinCluster RealFft 4096")]
    public double TwinClusterRealFft()
    {
        _fft.Forward(_signal, _re, _im);
        return _re[3];
    }
}
