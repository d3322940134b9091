using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.Intrinsics;
using TwinCluster.Analytics.Fft;
using TwinCluster.Analytics.Internal;

namespace TwinCluster.Analytics;

/// <summary>
/// Condition analysis of a slow shaft (a wind-turbine main bearing at 6–18 rpm), where a window long enough to hold a
/// few revolutions would cost megabytes of raw samples per channel. Instead the signal is reduced as it streams in, the
/// way a CMS measures low-speed bearings: the acceleration is band-pass filtered into a grid of demodulation bands
/// (an octave wide, half an octave apart, from <see cref="SlowShaftAnalyzerOptions.LowestBandHz"/> to 0.4 fs), each
/// band is squared (squared envelope), low-pass filtered and decimated to <see cref="SlowShaftAnalyzerOptions.EnvelopeRateHz"/>;
/// the shaft angle is integrated from the speed reading that comes with each block; RMS, peak, kurtosis (of the whole
/// signal and of each band) and velocity (10–1,000 Hz) are accumulated per quarter second. Only that record
/// (<see cref="RecordLength"/> points) is kept. The health index judges impulsiveness by the most impulsive band's
/// kurtosis (a slow bearing's few impacts hardly move the whole signal's); the indicators' EnvelopeKurtosis is that
/// band's excess kurtosis (0 for Gaussian noise) and EnvelopeBand the band.
/// <see cref="Analyze"/> resamples each band's envelope to equal shaft-angle steps (computed order tracking, so speed
/// drift does not smear the lines), takes Welch envelope order spectra (three half-record Hann segments) and scores
/// the defect orders (BPFO, BPFI ±1×, 2×BSF ±FTF, FTF) with the same line scoring and health index as
/// <see cref="VibrationAnalyzer"/>. Not thread-safe; nothing is allocated per sample.
/// </summary>
public sealed class SlowShaftAnalyzer
{
    // Boxcar to SubRate × the envelope rate, a 4th-order low-pass at 0.3 of the envelope rate, every SubRate-th kept.
    private const int SubRate = 4;
    private const int MinSamplesPerRevolution = 128;
    private const int MaxRecordPoints = 16_384;

    // Indicator sums are kept per chunk of this many record points (a quarter second at 64 Hz), not per point.
    private const int Chunk = 16;

    private readonly SlowShaftAnalyzerOptions _options;
    private readonly SeverityZones _zones;
    private readonly FaultFrequencies? _orders;
    private readonly double _fs;
    private readonly int _boxcar;
    private readonly int _length;
    private readonly FrequencyBand[] _bands;
    private readonly Vector256<double>[] _b0;
    private readonly Vector256<double>[] _a1;
    private readonly Vector256<double>[] _a2;
    private readonly Vector256<double>[] _s1;
    private readonly Vector256<double>[] _s2;
    private readonly Vector256<double>[] _acc;
    private readonly Vector256<double>[] _acc4;
    private readonly double[] _pointSquares;
    private readonly double[] _pointFourths;
    private readonly Biquad[] _lowPass1;
    private readonly Biquad[] _lowPass2;
    private readonly double[] _latest;
    private readonly double _dcPole;
    private readonly Biquad _velocityHighPassDesign;
    private readonly Biquad _velocityLowPassDesign;
    private Biquad _velocityHighPass1;
    private Biquad _velocityLowPass;
    private Biquad _velocityHighPass2;
    private double _previousAcceleration;
    private double _velocity;
    private double _dcIn;
    private double _dcOut;
    private double _sumSquares;
    private double _sumFourth;
    private double _sumVelocitySquares;
    private double _peak;
    private int _inBox;
    private int _inSub;
    private double _phase;

    // The record: per point, each band's squared envelope and the shaft angle (revolutions) at its end; per chunk of
    // points, the sums behind the indicators (Σx², Σx⁴, Σv², peak, then Σy² and Σy⁴ of each band: Stride values).
    private readonly float[] _envelopes;
    private readonly double[] _phases;
    private readonly int _stride;
    private readonly int _chunkCount;
    private readonly double[] _chunks;
    private readonly double[] _open;
    private int _write;
    private int _held;
    private int _inChunk;
    private int _chunkWrite;
    private int _chunkHeld;

    private readonly Dictionary<int, (RealFft Fft, double[] Window)> _plans = [];
    private readonly double[] _floors = new double[64];

    /// <summary>Creates an analyzer; validates the options.</summary>
    public SlowShaftAnalyzer(SlowShaftAnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.EnvelopeRateHz > 0) || !double.IsFinite(options.EnvelopeRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "EnvelopeRateHz must be positive.");
        }

        if (!(options.SampleRateHz >= 16 * options.EnvelopeRateHz) || !double.IsFinite(options.SampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SampleRateHz must be at least 16 times EnvelopeRateHz.");
        }

        if (!(options.RecordSeconds > 0) || !double.IsFinite(options.RecordSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RecordSeconds must be positive.");
        }

        if (!(options.LowestBandHz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "LowestBandHz must be positive.");
        }

        _options = options;
        _zones = options.Zones ?? SeverityZones.For(options.Component);
        _orders = options.Bearing?.FaultOrders();
        _fs = options.SampleRateHz;
        _boxcar = Math.Max(1, (int)Math.Round(_fs / (SubRate * options.EnvelopeRateHz)));
        EnvelopeRateHz = _fs / (_boxcar * SubRate);
        _length = Math.Max(16, (int)Math.Round(options.RecordSeconds * EnvelopeRateHz));

        // Octave-wide bands, half an octave apart; a low sample rate still gets one band (a fifth of fs).
        var bands = new List<FrequencyBand>();
        for (var fc = Math.Min(options.LowestBandHz, 0.2 * _fs); fc <= 0.4 * _fs && bands.Count < 16; fc *= Math.Sqrt(2))
        {
            bands.Add(new FrequencyBand(fc / Math.Sqrt(2), Math.Min(fc * Math.Sqrt(2), _fs / 2)));
        }

        _bands = [.. bands];
        var groups = (_bands.Length + 3) / 4;
        _b0 = new Vector256<double>[groups];
        _a1 = new Vector256<double>[groups];
        _a2 = new Vector256<double>[groups];
        _s1 = new Vector256<double>[groups];
        _s2 = new Vector256<double>[groups];
        _acc = new Vector256<double>[groups];
        _acc4 = new Vector256<double>[groups];
        _pointSquares = new double[_bands.Length];
        _pointFourths = new double[_bands.Length];
        Span<double> b0 = stackalloc double[4 * groups];
        Span<double> a1 = stackalloc double[4 * groups];
        Span<double> a2 = stackalloc double[4 * groups];
        for (var b = 0; b < _bands.Length; b++)
        {
            var design = Biquad.BandPass(Math.Sqrt(_bands[b].LowHz * _bands[b].HighHz), Math.Sqrt(2), _fs);
            (b0[b], a1[b], a2[b]) = (design.B0, design.A1, design.A2);
        }

        for (var g = 0; g < groups; g++)
        {
            _b0[g] = Vector256.Create<double>(b0.Slice(4 * g, 4));
            _a1[g] = Vector256.Create<double>(a1.Slice(4 * g, 4));
            _a2[g] = Vector256.Create<double>(a2.Slice(4 * g, 4));
        }

        var subRate = EnvelopeRateHz * SubRate;
        _lowPass1 = new Biquad[_bands.Length];
        _lowPass2 = new Biquad[_bands.Length];
        for (var b = 0; b < _bands.Length; b++)
        {
            // Fourth-order Butterworth: two sections with Q 0.541 and 1.307.
            _lowPass1[b] = Biquad.LowPass(0.3 * EnvelopeRateHz, 0.5412, subRate);
            _lowPass2[b] = Biquad.LowPass(0.3 * EnvelopeRateHz, 1.3066, subRate);
        }

        _latest = new double[_bands.Length];
        _dcPole = Math.Exp(-2 * Math.PI * 1.0 / _fs);
        _velocityHighPassDesign = Biquad.HighPass(10, Math.Sqrt(0.5), _fs);
        _velocityLowPassDesign = Biquad.LowPass(Math.Min(1000, 0.45 * _fs), Math.Sqrt(0.5), _fs);
        _envelopes = new float[_bands.Length * _length];
        _phases = new double[_length];
        _stride = 4 + 2 * _bands.Length;
        _chunkCount = _length / Chunk + 2;
        _chunks = new double[_chunkCount * _stride];
        _open = new double[_stride];
        Restart();
    }

    /// <summary>The options this analyzer was built with.</summary>
    public SlowShaftAnalyzerOptions Options => _options;

    /// <summary>Rate of the record's points, Hz (the sample rate over a whole decimation factor).</summary>
    public double EnvelopeRateHz { get; }

    /// <summary>Input samples per record point.</summary>
    public int Decimation => _boxcar * SubRate;

    /// <summary>Points a full record holds.</summary>
    public int RecordLength => _length;

    /// <summary>Points held (up to <see cref="RecordLength"/>; the oldest are overwritten).</summary>
    public int Held => _held;

    /// <summary>The demodulation bands.</summary>
    public ImmutableArray<FrequencyBand> Bands => [.. _bands];

    /// <summary>Shaft revolutions the held record spans.</summary>
    public double Revolutions => _held < 2 ? 0 : _phases[Newest] - _phases[Oldest];

    /// <summary>Bytes held by the record and the filters (what one slow-shaft channel costs between analyses).</summary>
    public long RecordBytes => (long)_envelopes.Length * sizeof(float) + ((long)_phases.Length + _chunks.Length) * sizeof(double);

    private int Newest => (_write - 1 + _length) % _length;

    private int Oldest => (_write - _held + _length) % _length;

    /// <summary>Forgets the record and the filter states (the signal is discontinuous): the next sample starts afresh.</summary>
    public void Restart()
    {
        Array.Clear(_s1);
        Array.Clear(_s2);
        Array.Clear(_acc);
        Array.Clear(_acc4);
        Array.Clear(_pointSquares);
        Array.Clear(_pointFourths);
        for (var b = 0; b < _bands.Length; b++)
        {
            _lowPass1[b].Reset();
            _lowPass2[b].Reset();
        }

        _velocityHighPass1 = _velocityHighPassDesign;
        _velocityLowPass = _velocityLowPassDesign;
        _velocityHighPass2 = _velocityHighPassDesign;
        _previousAcceleration = _velocity = _dcIn = _dcOut = 0;
        _sumSquares = _sumFourth = _sumVelocitySquares = _peak = 0;
        _inBox = _inSub = 0;
        _phase = 0;
        _write = _held = 0;
        Array.Clear(_open);
        _inChunk = _chunkWrite = _chunkHeld = 0;
    }

    /// <summary>
    /// Streams samples taken while the shaft turned at <paramref name="shaftHz"/> (the block's speed reading; 0 or
    /// NaN when unknown, which does not advance the shaft angle).
    /// </summary>
    public void Append(ReadOnlySpan<float> samples, double shaftHz)
    {
        var step = shaftHz > 0 && double.IsFinite(shaftHz) ? shaftHz / _fs : 0;
        var toMetres = _options.UnitToMetresPerSecondSquared;
        var halfDt = 0.5 / _fs;
        var groups = _b0.Length;
        foreach (var s in samples)
        {
            double x = s;

            // Time-domain moments of the DC-blocked signal.
            var xd = x - _dcIn + _dcPole * _dcOut;
            _dcIn = x;
            _dcOut = xd;
            var x2 = xd * xd;
            _sumSquares += x2;
            _sumFourth += x2 * x2;
            _peak = Math.Max(_peak, Math.Abs(xd));

            // Velocity in the severity band: high-pass 10 Hz, low-pass 1 kHz, integrate, high-pass 10 Hz again.
            var a = _velocityLowPass.Process(_velocityHighPass1.Process(x * toMetres));
            _velocity += (a + _previousAcceleration) * halfDt;
            _previousAcceleration = a;
            var v = 1000 * _velocityHighPass2.Process(_velocity);
            _sumVelocitySquares += v * v;

            // Every demodulation band at once (four per vector): band-pass, square, sum.
            var xv = Vector256.Create(x);
            for (var g = 0; g < groups; g++)
            {
                var y = _b0[g] * xv + _s1[g];
                _s1[g] = _s2[g] - _a1[g] * y;
                _s2[g] = -_b0[g] * xv - _a2[g] * y;
                var y2 = y * y;
                _acc[g] += y2;
                _acc4[g] += y2 * y2;
            }

            _phase += step;
            if (++_inBox == _boxcar)
            {
                EndBox();
            }
        }
    }

    private void EndBox()
    {
        _inBox = 0;
        var scale = 1.0 / _boxcar;
        for (var b = 0; b < _bands.Length; b++)
        {
            var sum = _acc[b >> 2].GetElement(b & 3);
            _pointSquares[b] += sum;
            _pointFourths[b] += _acc4[b >> 2].GetElement(b & 3);
            var mean = sum * scale;
            _latest[b] = _lowPass2[b].Process(_lowPass1[b].Process(mean));
        }

        Array.Clear(_acc);
        Array.Clear(_acc4);
        if (++_inSub < SubRate)
        {
            return;
        }

        _inSub = 0;
        var i = _write;
        for (var b = 0; b < _bands.Length; b++)
        {
            _envelopes[b * _length + i] = (float)Math.Max(0, _latest[b]);
            _open[4 + 2 * b] += _pointSquares[b];
            _open[5 + 2 * b] += _pointFourths[b];
            _pointSquares[b] = _pointFourths[b] = 0;
        }

        _phases[i] = _phase;
        _open[0] += _sumSquares;
        _open[1] += _sumFourth;
        _open[2] += _sumVelocitySquares;
        _open[3] = Math.Max(_open[3], _peak);
        _sumSquares = _sumFourth = _sumVelocitySquares = _peak = 0;
        _write = (_write + 1) % _length;
        _held = Math.Min(_held + 1, _length);
        if (++_inChunk == Chunk)
        {
            _open.CopyTo(_chunks.AsSpan(_chunkWrite * _stride, _stride));
            Array.Clear(_open);
            _inChunk = 0;
            _chunkWrite = (_chunkWrite + 1) % _chunkCount;
            _chunkHeld = Math.Min(_chunkHeld + 1, _chunkCount);
        }
    }

    // Indicator sums over the record: the open chunk and as many closed ones as cover the held points (the oldest may
    // reach up to Chunk − 1 points before the record). Returns the points covered.
    private int RecordSums(Span<double> totals)
    {
        _open.CopyTo(totals);
        var closed = Math.Min(_chunkHeld, (Math.Max(0, _held - _inChunk) + Chunk - 1) / Chunk);
        for (var c = 1; c <= closed; c++)
        {
            var chunk = _chunks.AsSpan((_chunkWrite - c + _chunkCount) % _chunkCount * _stride, _stride);
            for (var k = 0; k < _stride; k++)
            {
                totals[k] = k == 3 ? Math.Max(totals[k], chunk[k]) : totals[k] + chunk[k];
            }
        }

        return _inChunk + closed * Chunk;
    }

    /// <summary>
    /// Analyses the held record (at least 16 points spanning some rotation): indicators over the record, envelope
    /// order spectra of every band, the best defect found and the health index. Evidence lines are given in Hz at the
    /// record's mean shaft speed (labels as <see cref="VibrationAnalyzer"/>'s, spectrum "order envelope").
    /// </summary>
    public AnalysisResult Analyze()
    {
        var revolutions = Revolutions;
        if (_held < 16 || !(revolutions > 0))
        {
            throw new InvalidOperationException($"The record holds {_held} points over {revolutions:0.##} revolutions: nothing to analyse.");
        }

        var n = _held;
        var oldest = Oldest;
        Span<double> totals = stackalloc double[_stride];
        var count = (double)RecordSums(totals) * Decimation;
        var meanSquare = totals[0] / count;
        var rms = Math.Sqrt(meanSquare);
        var peak = totals[3];
        var kurtosis = meanSquare > 0 ? totals[1] / count / (meanSquare * meanSquare) : 0;
        var rmsVelocity = Math.Sqrt(totals[2] / count);
        var meanShaftHz = revolutions * EnvelopeRateHz / (n - 1);

        // Equal angle steps over the record: M points, a power of two, at least one per record point and 128 per revolution.
        var m = Math.Clamp(Stats.NextPowerOfTwo(Math.Max(n, (int)Math.Ceiling(revolutions * MinSamplesPerRevolution))), 64, MaxRecordPoints);
        var segment = m / 2;
        var bins = segment / 2 + 1;
        var dTheta = revolutions / m;
        var dOrder = 1 / (segment * dTheta);
        var plan = PlanFor(segment);
        var pool = ArrayPool<double>.Shared;
        var at = ArrayPool<int>.Shared.Rent(m);
        var weight = pool.Rent(m);
        var resampled = pool.Rent(m);
        var seg = pool.Rent(segment);
        var re = pool.Rent(bins);
        var im = pool.Rent(bins);
        var ses = pool.Rent(bins);
        var scratch = pool.Rent(2048);
        try
        {
            AngleSteps(n, oldest, dTheta, at.AsSpan(0, m), weight.AsSpan(0, m));
            var h = Math.Min(Math.Max(1, _options.Harmonics), _floors.Length);
            var tol = _options.SpeedTolerance;
            Span<FaultKind> kinds = [FaultKind.OuterRace, FaultKind.InnerRace, FaultKind.Ball, FaultKind.Cage];
            Span<double> kindBest = stackalloc double[kinds.Length];
            Span<int> kindBand = stackalloc int[kinds.Length];
            kindBand.Fill(-1);
            var bandKurtosis = 0.0;
            var kurtosisBand = 0;
            for (var b = 0; b < _bands.Length; b++)
            {
                var k = Kurtosis(totals[4 + 2 * b], totals[5 + 2 * b], count);
                if (k > bandKurtosis)
                {
                    bandKurtosis = k;
                    kurtosisBand = b;
                }

                if (_orders is null)
                {
                    continue;
                }

                OrderSpectrum(b, n, oldest, at, weight, resampled.AsSpan(0, m), seg.AsSpan(0, segment), re, im, ses.AsSpan(0, bins), plan);
                for (var c = 0; c < kinds.Length; c++)
                {
                    var score = FaultLines.Score(_orders, kinds[c], ses.AsSpan(0, bins), 1.0, dOrder, tol, h, _floors, scratch.AsSpan(0, 2048), null, Spectrum);
                    if (score > kindBest[c])
                    {
                        kindBest[c] = score;
                        kindBand[c] = b;
                    }
                }
            }

            // Impulsiveness is judged in the most impulsive band: a slow bearing's impacts are few and drown in the
            // broadband noise of the whole signal (whose kurtosis stays near 3), not in the band they ring in.
            var impulsiveness = Math.Max(kurtosis, bandKurtosis);
            var zone = _zones.Classify(rmsVelocity);
            var diagnosis = Diagnose(kinds, kindBest, kindBand, zone, impulsiveness, meanShaftHz, n, oldest, at, weight, resampled.AsSpan(0, m),
                seg.AsSpan(0, segment), re, im, ses.AsSpan(0, bins), plan, dOrder, h, scratch.AsSpan(0, 2048));
            var indicators = new VibrationIndicators(
                rms, peak, rms > 0 ? peak / rms : 0, kurtosis, rmsVelocity, 0, 0, Math.Max(0, bandKurtosis - 3),
                _bands.Length > 0 ? _bands[kurtosisBand] : default, [rms], [0, _fs / 2]);
            var health = FaultLines.HealthIndex(diagnosis, rmsVelocity, impulsiveness, _zones, _options.FaultScoreThreshold);
            FaultFrequencies? ff = _orders is null ? null
                : new FaultFrequencies(_orders.Bpfo * meanShaftHz, _orders.Bpfi * meanShaftHz, _orders.Bsf * meanShaftHz, _orders.Ftf * meanShaftHz);
            return new AnalysisResult(meanShaftHz, indicators, ff, diagnosis, zone, health);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(at);
            pool.Return(weight);
            pool.Return(resampled);
            pool.Return(seg);
            pool.Return(re);
            pool.Return(im);
            pool.Return(ses);
            pool.Return(scratch);
        }
    }

    /// <summary>Source name of evidence lines from this analyzer.</summary>
    public const string Spectrum = "order envelope";

    private Diagnosis Diagnose(
        ReadOnlySpan<FaultKind> kinds, ReadOnlySpan<double> kindBest, ReadOnlySpan<int> kindBand, SeverityZone zone, double kurtosis,
        double meanShaftHz, int n, int oldest, int[] at, double[] weight, Span<double> resampled, Span<double> seg, double[] re,
        double[] im, Span<double> ses, (RealFft Fft, double[] Window) plan, double dOrder, int h, Span<double> scratch)
    {
        var scores = ImmutableDictionary.CreateBuilder<FaultKind, double>();
        var threshold = _options.FaultScoreThreshold;
        var ranking = DefectVerdict.Rank(kinds, kindBest, scores);
        var band = ranking.Best >= 0 && kindBand[ranking.Best] >= 0 ? _bands[kindBand[ranking.Best]] : default;
        if (DefectVerdict.IsDefect(ranking, threshold))
        {
            var best = ranking.Best;
            OrderSpectrum(kindBand[best], n, oldest, at, weight, resampled, seg, re, im, ses, plan);
            var lines = new List<FaultEvidence>();
            FaultLines.Score(_orders!, kinds[best], ses, 1.0, dOrder, _options.SpeedTolerance, h, _floors, scratch, lines, Spectrum);
            lines.Sort((x, y) => y.ProminenceDb.CompareTo(x.ProminenceDb));
            var evidence = ImmutableArray.CreateBuilder<FaultEvidence>(lines.Count);
            foreach (var line in lines)
            {
                // Orders to Hz at the record's mean speed.
                evidence.Add(line with { ExpectedHz = line.ExpectedHz * meanShaftHz, FoundHz = line.FoundHz * meanShaftHz });
            }

            return new Diagnosis(kinds[best], DefectVerdict.DefectConfidence(ranking, threshold), evidence.MoveToImmutable(), scores.ToImmutable()) { Band = band };
        }

        // No imbalance or misalignment here: the 1× and 2× lines of a slow shaft lie below the 10 Hz velocity band.
        return DefectVerdict.NoDefect(ranking, threshold, zone, kurtosis, scores) with { Band = band };
    }

    // For each of the M equal angle steps: the record point before it and the weight of the one after (linear interpolation).
    private void AngleSteps(int n, int oldest, double dTheta, Span<int> at, Span<double> weight)
    {
        var start = _phases[oldest];
        var j = 0;
        for (var k = 0; k < at.Length; k++)
        {
            var theta = start + k * dTheta;
            while (j < n - 2 && _phases[(oldest + j + 1) % _length] <= theta)
            {
                j++;
            }

            var p0 = _phases[(oldest + j) % _length];
            var p1 = _phases[(oldest + j + 1) % _length];
            at[k] = j;
            weight[k] = p1 > p0 ? Math.Clamp((theta - p0) / (p1 - p0), 0, 1) : 0;
        }
    }

    // Magnitude of the Welch envelope order spectrum of band b (three Hann segments of half the record, half-overlapping).
    private void OrderSpectrum(
        int b, int n, int oldest, int[] at, double[] weight, Span<double> resampled, Span<double> seg, double[] re, double[] im,
        Span<double> ses, (RealFft Fft, double[] Window) plan)
    {
        var env = _envelopes.AsSpan(b * _length, _length);
        for (var k = 0; k < resampled.Length; k++)
        {
            var e0 = env[(oldest + at[k]) % _length];
            var e1 = env[(oldest + Math.Min(at[k] + 1, n - 1)) % _length];
            resampled[k] = e0 + weight[k] * (e1 - e0);
        }

        var segment = seg.Length;
        var bins = ses.Length;
        ses.Clear();
        for (var s = 0; s < 3; s++)
        {
            var src = resampled.Slice(s * segment / 2, segment);
            double mean = 0;
            foreach (var v in src)
            {
                mean += v;
            }

            mean /= segment;
            for (var i = 0; i < segment; i++)
            {
                seg[i] = (src[i] - mean) * plan.Window[i];
            }

            plan.Fft.Forward(seg, re.AsSpan(0, bins), im.AsSpan(0, bins));
            for (var k = 0; k < bins; k++)
            {
                ses[k] += re[k] * re[k] + im[k] * im[k];
            }
        }

        ses[0] = 0;
        for (var k = 0; k < bins; k++)
        {
            ses[k] = Math.Sqrt(ses[k]);
        }
    }

    // Kurtosis from Σy² and Σy⁴ of a zero-mean signal (a band: how impulsive it is; 3 for Gaussian noise).
    private static double Kurtosis(double squares, double fourths, double count)
    {
        var meanSquare = squares / count;
        return meanSquare > 0 ? fourths / count / (meanSquare * meanSquare) : 0;
    }

    private (RealFft Fft, double[] Window) PlanFor(int length)
    {
        if (!_plans.TryGetValue(length, out var plan))
        {
            var window = new double[length];
            for (var i = 0; i < length; i++)
            {
                window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length);
            }

            plan = (new RealFft(length), window);
            _plans[length] = plan;
        }

        return plan;
    }

    /// <summary>A second-order section (transposed direct form II, a0 normalised to 1) with its state.</summary>
    private struct Biquad
    {
        public double B0;
        public double B1;
        public double B2;
        public double A1;
        public double A2;
        private double _s1;
        private double _s2;

        public double Process(double x)
        {
            var y = B0 * x + _s1;
            _s1 = B1 * x - A1 * y + _s2;
            _s2 = B2 * x - A2 * y;
            return y;
        }

        public void Reset() => _s1 = _s2 = 0;

        // Audio EQ cookbook designs (R. Bristow-Johnson).
        public static Biquad LowPass(double fc, double q, double fs)
        {
            var (cos, alpha) = Prewarp(fc, q, fs);
            return Normalise((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        public static Biquad HighPass(double fc, double q, double fs)
        {
            var (cos, alpha) = Prewarp(fc, q, fs);
            return Normalise((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        /// <summary>Band-pass with 0 dB at the centre; b1 = 0 and b2 = −b0.</summary>
        public static Biquad BandPass(double fc, double q, double fs)
        {
            var (cos, alpha) = Prewarp(fc, q, fs);
            return Normalise(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
        }

        private static (double Cos, double Alpha) Prewarp(double fc, double q, double fs)
        {
            var w0 = 2 * Math.PI * fc / fs;
            return (Math.Cos(w0), Math.Sin(w0) / (2 * q));
        }

        private static Biquad Normalise(double b0, double b1, double b2, double a0, double a1, double a2) =>
            new() { B0 = b0 / a0, B1 = b1 / a0, B2 = b2 / a0, A1 = a1 / a0, A2 = a2 / a0 };
    }
}
