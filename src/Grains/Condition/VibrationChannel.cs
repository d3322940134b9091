using System.Buffers;
using TwinCluster.Analytics;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// One vibration channel of a monitor: a float ring buffer one window long and the analyzer for its sample rate (or, on
/// the slow-shaft path, a <see cref="SlowShaftAnalyzer"/> that keeps only a demodulated, decimated record), where the
/// next block should start in time, and the last few results (for the median health and majority diagnosis).
/// </summary>
internal sealed class VibrationChannel
{
    private readonly float[] _ring;
    private readonly AnalysisResult[] _recent;
    private readonly double[] _healthScratch;
    private readonly SlowShaftAnalyzer? _slow;
    private int _write;
    private int _untilWindow;
    private int _recentCount;
    private int _recentNext;

    public VibrationChannel(string name, double sampleRateHz, VibrationAnalyzerOptions analyzerOptions, ConditionOptions options, bool slowShaft = false)
    {
        Name = name;
        SampleRateHz = sampleRateHz;
        if (slowShaft)
        {
            // A window is the analyzer's record: whole record points, so that window ends fall on point boundaries.
            _slow = new SlowShaftAnalyzer(new SlowShaftAnalyzerOptions
            {
                SampleRateHz = sampleRateHz,
                RecordSeconds = options.SlowShaftWindowSeconds,
                Bearing = analyzerOptions.Bearing,
                Component = analyzerOptions.Component,
                Zones = analyzerOptions.Zones,
                EnvelopeRateHz = Math.Min(options.SlowShaftEnvelopeRateHz, sampleRateHz / 16),
            });
            WindowSamples = _slow.RecordLength * _slow.Decimation;
            Hop = Math.Max(1, (int)Math.Round(_slow.RecordLength * (1 - options.Overlap))) * _slow.Decimation;
            _ring = [];
        }
        else
        {
            Analyzer = new VibrationAnalyzer(analyzerOptions with { SampleRateHz = sampleRateHz });
            WindowSamples = Math.Max((int)Math.Round(options.WindowSeconds * sampleRateHz), Analyzer.WindowSize);
            Hop = Math.Max(1, (int)Math.Round(WindowSamples * (1 - options.Overlap)));
            _ring = new float[WindowSamples];
        }

        _recent = new AnalysisResult[options.SmoothingWindows];
        _healthScratch = new double[options.SmoothingWindows];
        _untilWindow = WindowSamples;
    }

    public string Name { get; }

    public double SampleRateHz { get; }

    /// <summary>The analyzer of raw windows; null on the slow-shaft path.</summary>
    public VibrationAnalyzer? Analyzer { get; }

    /// <summary>True when this channel is analysed on the slow-shaft path (demodulated, order-tracked records).</summary>
    public bool IsSlowShaft => _slow is not null;

    /// <summary>Shaft revolutions the window spans: measured on the slow-shaft path, from the speed otherwise.</summary>
    public double Revolutions(double shaftHz) => _slow?.Revolutions ?? shaftHz * WindowSamples / SampleRateHz;

    /// <summary>Bytes of sample record held (the ring, or the slow-shaft record).</summary>
    public long RecordBytes => _slow?.RecordBytes ?? (long)_ring.Length * sizeof(float);

    public int WindowSamples { get; }

    public int Hop { get; }

    /// <summary>Where (ticks) the next block should start; NaN when unknown.</summary>
    public double ExpectedTicks { get; set; } = double.NaN;

    public long LastAnalysisTicks { get; private set; } = long.MinValue;

    public bool WindowReady => _untilWindow == 0;

    public bool HasResults => _recentCount > 0;

    /// <summary>Forgets the samples held: the next window starts with the next sample.</summary>
    public void Restart()
    {
        _write = 0;
        _untilWindow = WindowSamples;
        _slow?.Restart();
    }

    /// <summary>Forgets the recent results as well (after a restore).</summary>
    public void Reset()
    {
        Restart();
        ExpectedTicks = double.NaN;
        Array.Clear(_recent);
        _recentCount = 0;
        _recentNext = 0;
        LastAnalysisTicks = long.MinValue;
    }

    /// <summary>
    /// Appends samples (taken at <paramref name="shaftHz"/>, NaN when unknown) up to the next full window; returns how many
    /// were taken.
    /// </summary>
    public int Append(ReadOnlySpan<float> samples, double shaftHz)
    {
        var take = Math.Min(samples.Length, _untilWindow);
        var rest = samples[..take];
        if (_slow is not null)
        {
            _slow.Append(rest, shaftHz);
            _untilWindow -= take;
            return take;
        }

        while (!rest.IsEmpty)
        {
            var n = Math.Min(rest.Length, _ring.Length - _write);
            rest[..n].CopyTo(_ring.AsSpan(_write));
            _write = (_write + n) % _ring.Length;
            rest = rest[n..];
        }

        _untilWindow -= take;
        return take;
    }

    /// <summary>Analyses the ready window at <paramref name="shaftHz"/> (the raw path; the slow-shaft path measures its own speed).</summary>
    public AnalysisResult Analyse(double shaftHz)
    {
        if (_slow is not null)
        {
            return _slow.Analyze();
        }

        var n = WindowSamples;
        var buffer = ArrayPool<double>.Shared.Rent(n);
        try
        {
            CopyWindow(buffer.AsSpan(0, n));
            return Analyzer!.Analyze(buffer.AsSpan(0, n), shaftHz);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies the window, oldest sample first (valid when <see cref="WindowReady"/>: the ring is full).</summary>
    private void CopyWindow(Span<double> destination)
    {
        var older = _ring.AsSpan(_write);
        var newer = _ring.AsSpan(0, _write);
        for (var i = 0; i < older.Length; i++)
        {
            destination[i] = older[i];
        }

        var d = destination[older.Length..];
        for (var i = 0; i < newer.Length; i++)
        {
            d[i] = newer[i];
        }
    }

    /// <summary>The newest <paramref name="count"/> samples of the window, oldest first (empty on the slow-shaft path).</summary>
    public System.Collections.Immutable.ImmutableArray<float> Latest(int count)
    {
        if (_ring.Length == 0)
        {
            return [];
        }

        var n = Math.Min(count, _ring.Length);
        var result = new float[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = _ring[(_write - n + i + 2 * _ring.Length) % _ring.Length];
        }

        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>Passes over the ready window without a result; the next one is a hop later.</summary>
    public void Skip() => _untilWindow = Hop;

    /// <summary>Records the result of the ready window; the next one is a hop later.</summary>
    public void Completed(AnalysisResult result, long endTicks)
    {
        _untilWindow = Hop;
        _recent[_recentNext] = result;
        _recentNext = (_recentNext + 1) % _recent.Length;
        _recentCount = Math.Min(_recentCount + 1, _recent.Length);
        LastAnalysisTicks = endTicks;
    }

    /// <summary>Median health of the recent results.</summary>
    public double SmoothedHealth()
    {
        var h = _healthScratch.AsSpan(0, _recentCount);
        for (var i = 0; i < _recentCount; i++)
        {
            h[i] = _recent[i].HealthIndex;
        }

        h.Sort();
        return _recentCount % 2 == 1 ? h[_recentCount / 2] : 0.5 * (h[_recentCount / 2 - 1] + h[_recentCount / 2]);
    }

    /// <summary>The latest result whose diagnosis is the one most of the recent results agree on (ties: the latest).</summary>
    public AnalysisResult Representative()
    {
        var latest = Recent(0);
        var best = latest;
        var bestVotes = 0;
        for (var i = 0; i < _recentCount; i++)
        {
            var candidate = Recent(i);
            var votes = 0;
            for (var j = 0; j < _recentCount; j++)
            {
                if (Recent(j).Diagnosis.Fault == candidate.Diagnosis.Fault)
                {
                    votes++;
                }
            }

            if (votes > bestVotes)
            {
                best = candidate;
                bestVotes = votes;
            }
        }

        return best;
    }

    /// <summary>The result <paramref name="age"/> analyses ago (0: the latest).</summary>
    private AnalysisResult Recent(int age) => _recent[((_recentNext - 1 - age) % _recent.Length + _recent.Length) % _recent.Length];
}
